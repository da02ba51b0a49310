-- How common each topic theme is across cases at $as_of: cases with it, share of cases, recommendations with it.
-- params: as_of, partnerships, year_from, year_to, themes
-- A case has a theme when its plan in force matched it anywhere (recommendation, action or update
-- text). The denominator is every case passing the case filters (partnerships, years); $themes
-- only limits which themes are listed. Themes matched in no case do not appear.
WITH ct AS (
    SELECT * FROM case_themes($as_of, $partnerships, $year_from, $year_to)
),
total AS (
    SELECT count(DISTINCT case_id) AS cases_total FROM ct
),
recs AS (
    SELECT t.theme, count(DISTINCT t.recommendation_id) AS recommendations
    FROM plan_in_force($as_of) p
    JOIN theme_match t ON t.plan_version_id = p.plan_version_id AND t.axis = 'topic'
    WHERE t.case_id IN (SELECT case_id FROM ct)
    GROUP BY t.theme
),
final AS (
    SELECT ct.theme, count(*) AS cases, any_value(total.cases_total) AS cases_total,
           round(100.0 * count(*) / any_value(total.cases_total), 1) AS pct_cases,
           any_value(recs.recommendations) AS recommendations
    FROM ct CROSS JOIN total
    LEFT JOIN recs ON recs.theme = ct.theme
    WHERE ct.theme IS NOT NULL AND (len($themes) = 0 OR list_contains($themes, ct.theme))
    GROUP BY ct.theme
)
SELECT * FROM final ORDER BY cases DESC, theme
