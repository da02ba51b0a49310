-- Completion at $as_of by agency type: actions and recommendations complete, and overdue actions.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action whose agencies are of two types counts once for each type here.
-- A recommendation counts in a group when it has selected actions there; it is complete when
-- all of those actions are complete. Percentages have one decimal.
-- Recommendations are counted by the flags first_of_type and complete_for_type (see
-- selected_agency_facts), so no grouping by recommendation is needed.
WITH grouped AS (
    SELECT agency_type,
           completion_figures(is_complete, first_of_type, complete_for_type, is_overdue, days_overdue) AS figures
    FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'all')
    WHERE type_row  -- an action counts once per type, however many of its agencies are of it
      AND (len($agency_types) = 0 OR list_contains($agency_types, agency_type))
    GROUP BY ALL
)
SELECT agency_type, figures.* FROM grouped
ORDER BY figures.actions DESC, agency_type
