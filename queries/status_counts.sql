-- How many selected actions are in each normalised status at $as_of, and their share.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- Every status appears (zero when none), in the order complete, in_progress, not_started,
-- off_track, closed_other, unknown.
WITH sel AS (
    SELECT * FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
),
statuses AS (
    SELECT * FROM (VALUES (1, 'complete'), (2, 'in_progress'), (3, 'not_started'),
                          (4, 'off_track'), (5, 'closed_other'), (6, 'unknown')) s(status_order, status)
),
counted AS (
    SELECT status, count(*) AS actions FROM sel GROUP BY status
),
final AS (
    SELECT s.status_order, s.status, coalesce(c.actions, 0) AS actions,
           round(100.0 * coalesce(c.actions, 0) / nullif(sum(coalesce(c.actions, 0)) OVER (), 0), 1) AS pct_actions
    FROM statuses s
    LEFT JOIN counted c USING (status)
)
SELECT * FROM final ORDER BY status_order
