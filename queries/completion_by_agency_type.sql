-- Completion at $as_of by agency type: actions and recommendations complete, and overdue actions.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action whose agencies are of two types counts once for each type here.
-- A recommendation counts in a group when it has selected actions there; it is complete when
-- all of those actions are complete. Percentages have one decimal.
WITH grouped AS (
    SELECT DISTINCT agency_type AS agency_type_label, action_id, recommendation_id, is_complete, is_overdue, days_overdue
    FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'all')
    WHERE len($agency_types) = 0 OR list_contains($agency_types, agency_type)
),
per_rec AS (
    SELECT agency_type_label AS agency_type, recommendation_id,
           count(*) AS actions,
           count(*) FILTER (WHERE is_complete) AS complete,
           count(*) FILTER (WHERE is_overdue) AS overdue,
           max(days_overdue) AS oldest_overdue_days
    FROM grouped
    GROUP BY ALL
),
final AS (
    SELECT agency_type,
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
ORDER BY actions DESC, agency_type
