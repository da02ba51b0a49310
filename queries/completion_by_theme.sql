-- Completion at $as_of by topic theme: actions and recommendations complete, and overdue actions.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action carrying two themes counts once for each (its own matches and its recommendation's).
-- A recommendation counts in a group when it has selected actions there; it is complete when
-- all of those actions are complete. Percentages have one decimal.
-- Recommendations are counted by the flags first_of_theme and complete_for_theme (see
-- selected_theme_facts), so no grouping by recommendation is needed.
WITH grouped AS (
    SELECT theme,
           completion_figures(is_complete, first_of_theme, complete_for_theme, is_overdue, days_overdue) AS figures
    FROM selected_theme_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
    WHERE len($themes) = 0 OR list_contains($themes, theme)
    GROUP BY ALL
)
SELECT coalesce(theme, '(no topic theme)') AS theme, figures.* FROM grouped
ORDER BY figures.actions DESC, theme
