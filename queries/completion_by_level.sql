-- Completion at $as_of by recommendation level (overview / single agency): actions and recommendations complete, and overdue actions.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- A recommendation counts in a group when it has selected actions there; it is complete when
-- all of those actions are complete. Percentages have one decimal.
WITH grouped AS (
    SELECT level, completion_figures(is_complete, first_of_recommendation, recommendation_complete, is_overdue, days_overdue) AS figures
    FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
    GROUP BY ALL
)
SELECT coalesce(level, 'not stated') AS level, figures.* FROM grouped
ORDER BY level
