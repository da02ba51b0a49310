-- Completion at $as_of by agency: actions and recommendations complete, and overdue actions.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action naming two agencies counts once for each agency here (rows do not add up to the total).
-- `agency` is the canonical name, or the name as written when unknown (agency_known false).
-- A recommendation counts in a group when it has selected actions there; it is complete when
-- all of those actions are complete. Percentages have one decimal.
-- Recommendations are counted by the flags first_of_agency and complete_for_agency (see
-- selected_agency_facts), so no grouping by recommendation is needed.
WITH grouped AS (
    SELECT agency, agency_canonical, agency_known, agency_type,
           completion_figures(is_complete, first_of_agency, complete_for_agency, is_overdue, days_overdue) AS figures
    FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'all')
    WHERE (len($agencies) = 0 OR list_contains($agencies, agency_canonical))
      AND (len($agency_types) = 0 OR list_contains($agency_types, agency_type))
    GROUP BY ALL
)
SELECT agency, agency_canonical, agency_known, agency_type, figures.* FROM grouped
ORDER BY figures.actions DESC, agency
