-- The overdue actions at $as_of, oldest first: case, recommendation, action, agencies, target date, days overdue, ageing bucket.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes, limit
-- Overdue: target date before $as_of and status not complete or closed_other. One row per action;
-- `agencies` lists its agencies ("; "-separated, unknown names marked "(unknown)"). A month-only
-- target was stored as the month's last day, so "Jan 2023" is overdue from 1 February 2023.
-- $limit: the first rows only (NULL = every row). Every row carries the totals of the whole list,
-- counted before any text is read: total_rows, and overdue actions per ageing bucket (days_0_90,
-- days_91_180, days_181_365, over_a_year).
-- The oldest $limit rows are found on the narrow fact rows: only the actions at least as overdue as
-- the $limit-th oldest (the cutoff) get their texts, agencies and sort keys; ties in the order are
-- broken by action_id, so a page and its download agree.
WITH overdue AS MATERIALIZED (
    SELECT action_id, recommendation_id, case_id, seq, days_overdue
    FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
    -- The plain date comparison is read by the table scan, before the fuller overdue test.
    WHERE target_date < CAST($as_of AS DATE) AND is_overdue
),
totals AS (
    SELECT count(*) AS total_rows,
           count(*) FILTER (WHERE days_overdue <= 90) AS days_0_90,
           count(*) FILTER (WHERE days_overdue > 90 AND days_overdue <= 180) AS days_91_180,
           count(*) FILTER (WHERE days_overdue > 180 AND days_overdue <= 365) AS days_181_365,
           count(*) FILTER (WHERE days_overdue > 365) AS over_a_year
    FROM overdue
),
cutoff AS (
    SELECT min(days_overdue) AS days_overdue
    FROM (SELECT days_overdue FROM overdue ORDER BY days_overdue DESC LIMIT $limit)
),
candidates AS MATERIALIZED (
    SELECT * FROM overdue WHERE days_overdue >= (SELECT days_overdue FROM cutoff)
),
named AS (
    SELECT action_id,
           string_agg(CASE WHEN agency_known OR agency = '(no agency named)' THEN agency ELSE agency || ' (unknown)' END,
                      '; ' ORDER BY agency) AS agencies,
           bool_or(NOT agency_known AND agency <> '(no agency named)') AS has_unknown_agency
    FROM action_agency_fact
    WHERE action_id IN (SELECT action_id FROM candidates)
    GROUP BY action_id
),
final AS (
    SELECT c.case_id, c.reference, c.partnership, c.year,
           r.recommendation_id, r.number AS recommendation_number, r.sort_key AS recommendation_sort_key,
           r.text AS recommendation_text, r.level,
           a.action_id, a.seq AS action_seq, a.text AS action_text,
           n.agencies, n.has_unknown_agency,
           a.target_date_raw, CAST(a.target_date AS DATE) AS target_date, a.target_precision,
           a.status, a.status_raw,
           k.days_overdue, overdue_bucket(k.days_overdue) AS ageing_bucket,
           a.src_file, a.src_location, a.src_rows,
           t.total_rows, t.days_0_90, t.days_91_180, t.days_181_365, t.over_a_year
    FROM candidates k
    JOIN named n ON n.action_id = k.action_id
    JOIN action a ON a.action_id = k.action_id
    JOIN recommendation r ON r.recommendation_id = k.recommendation_id
    JOIN dhr_case c ON c.case_id = k.case_id
    CROSS JOIN totals t
)
SELECT * FROM final
ORDER BY days_overdue DESC, reference, recommendation_sort_key, action_seq, action_id
LIMIT $limit
