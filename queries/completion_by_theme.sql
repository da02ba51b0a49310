-- Completion at $as_of by topic theme: actions and recommendations complete, and overdue actions.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action carrying two themes counts once for each (its own matches and its recommendation's).
-- A recommendation counts in a group when it has selected actions there; it is complete when
-- all of those actions are complete. Percentages have one decimal.
-- The recommendation of each row is read from the stored flags (first_of_theme, complete_for_theme);
-- an agency filter can leave only some of a recommendation's actions, so then they are worked out again.
WITH grouped AS (
    SELECT theme, is_complete, is_overdue, days_overdue,
           first_of_theme AS first_of_recommendation, complete_for_theme AS recommendation_complete
    FROM selected_theme_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
    WHERE len($agencies) = 0 AND len($agency_types) = 0
    UNION ALL
    SELECT theme, is_complete, is_overdue, days_overdue,
           action_id = min(action_id) OVER by_theme, bool_and(is_complete) OVER by_theme
    FROM selected_theme_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
    WHERE len($agencies) > 0 OR len($agency_types) > 0
    WINDOW by_theme AS (PARTITION BY recommendation_id, theme)
),
final AS (
    SELECT coalesce(theme, '(no topic theme)') AS theme,
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
    WHERE len($themes) = 0 OR list_contains($themes, theme)
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY actions DESC, theme
