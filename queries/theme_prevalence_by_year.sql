-- How common each topic theme is across cases at $as_of, by case year: cases with it and the share of that year's cases.
-- params: as_of, partnerships, year_from, year_to, themes
-- The denominator is every case of that year passing the case filters; $themes only limits which
-- themes are listed. A (year, theme) pair with no case does not appear.
WITH cases AS MATERIALIZED (
    SELECT year, plan_version_id FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
totals AS (
    SELECT year, count(*) AS cases_total FROM cases GROUP BY year
),
counted AS (  -- plan_theme_fact has one row per plan version and theme
    SELECT c.year, t.theme, count(*) AS cases
    FROM cases c
    JOIN plan_theme_fact t ON t.plan_version_id = c.plan_version_id
    WHERE len($themes) = 0 OR list_contains($themes, t.theme)
    GROUP BY ALL
),
final AS (
    SELECT n.year, n.theme, n.cases, t.cases_total, round(100.0 * n.cases / t.cases_total, 1) AS pct_cases
    FROM counted n
    JOIN totals t ON t.year IS NOT DISTINCT FROM n.year
)
SELECT * FROM final ORDER BY year NULLS LAST, cases DESC, theme
