-- Completion at $as_of by partnership (CSP): actions and recommendations complete, and overdue actions.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- A recommendation counts in a group when it has selected actions there; it is complete when
-- all of those actions are complete. Percentages have one decimal.
WITH sel AS (
    SELECT * FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
),
per_rec AS (
    SELECT partnership, recommendation_id,
           count(*) AS actions,
           count(*) FILTER (WHERE is_complete) AS complete,
           count(*) FILTER (WHERE is_overdue) AS overdue,
           max(days_overdue) AS oldest_overdue_days
    FROM sel
    GROUP BY ALL
),
final AS (
    SELECT partnership,
           CAST(sum(actions) AS BIGINT) AS actions,
           CAST(sum(complete) AS BIGINT) AS actions_complete,
           round(100.0 * sum(complete) / sum(actions), 1) AS pct_actions_complete,
           count(*) AS recommendations,
           count(*) FILTER (WHERE complete = actions) AS recommendations_complete,
           round(100.0 * count(*) FILTER (WHERE complete = actions) / count(*), 1) AS pct_recommendations_complete,
           CAST(sum(overdue) AS BIGINT) AS overdue,
           max(oldest_overdue_days) AS oldest_overdue_days
    FROM per_rec
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY partnership
