-- Completion at $as_of by agency type: actions and recommendations complete, and overdue actions.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action whose agencies are of two types counts once for each type here.
-- A recommendation counts in a group when it has selected actions there; it is complete when
-- all of those actions are complete. Percentages have one decimal.
-- The recommendation of each row is read from the stored flags (first_of_type, complete_for_type);
-- an agency or theme filter can leave only some of a recommendation's actions of a type, so then they
-- are worked out again.
WITH typed AS (
    SELECT DISTINCT agency_type, action_id, recommendation_id, is_complete, is_overdue, days_overdue,
           first_of_type, complete_for_type
    FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'all')
    WHERE len($agency_types) = 0 OR list_contains($agency_types, agency_type)
),
grouped AS (
    SELECT agency_type, is_complete, is_overdue, days_overdue,
           first_of_type AS first_of_recommendation, complete_for_type AS recommendation_complete
    FROM typed
    WHERE len($agencies) = 0 AND len($themes) = 0
    UNION ALL
    SELECT agency_type, is_complete, is_overdue, days_overdue,
           action_id = min(action_id) OVER by_type, bool_and(is_complete) OVER by_type
    FROM typed
    WHERE len($agencies) > 0 OR len($themes) > 0
    WINDOW by_type AS (PARTITION BY recommendation_id, agency_type)
),
final AS (
    SELECT agency_type,
           count(*) AS actions,
           count(*) FILTER (WHERE is_complete) AS actions_complete,
           round(100.0 * count(*) FILTER (WHERE is_complete) / count(*), 1) AS pct_actions_complete,
           count(*) FILTER (WHERE first_of_recommendation) AS recommendations,
           count(*) FILTER (WHERE first_of_recommendation AND recommendation_complete) AS recommendations_complete,
           round(100.0 * count(*) FILTER (WHERE first_of_recommendation AND recommendation_complete)
                 / count(*) FILTER (WHERE first_of_recommendation), 1) AS pct_recommendations_complete,
           count(*) FILTER (WHERE is_overdue) AS overdue,
           max(days_overdue) AS oldest_overdue_days
    FROM grouped
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY actions DESC, agency_type
