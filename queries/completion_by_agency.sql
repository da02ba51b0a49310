-- Completion at $as_of by agency: actions and recommendations complete, and overdue actions.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action naming two agencies counts once for each agency here (rows do not add up to the total).
-- `agency` is the canonical name, or the name as written when unknown (agency_known false).
-- A recommendation counts in a group when it has selected actions there; it is complete when
-- all of those actions are complete. Percentages have one decimal.
-- The recommendation of each row is read from the stored flags (first_of_agency, complete_for_agency);
-- a theme filter can leave only some of a recommendation's actions, so then they are worked out again.
WITH grouped AS (
    SELECT agency, agency_canonical, agency_known, agency_type, is_complete, is_overdue, days_overdue,
           first_of_agency AS first_of_recommendation, complete_for_agency AS recommendation_complete
    FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'all')
    WHERE len($themes) = 0
    UNION ALL
    SELECT agency, agency_canonical, agency_known, agency_type, is_complete, is_overdue, days_overdue,
           action_id = min(action_id) OVER by_agency, bool_and(is_complete) OVER by_agency
    FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'all')
    WHERE len($themes) > 0
    WINDOW by_agency AS (PARTITION BY recommendation_id, agency, agency_known)
),
final AS (
    SELECT agency, agency_canonical, agency_known, agency_type,
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
    WHERE (len($agencies) = 0 OR list_contains($agencies, agency_canonical))
      AND (len($agency_types) = 0 OR list_contains($agency_types, agency_type))
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY actions DESC, agency
