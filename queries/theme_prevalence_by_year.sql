-- How common each topic theme is across cases at $as_of, by case year: cases with it and the share of that year's cases.
-- params: as_of, partnerships, year_from, year_to, themes
-- The denominator is every case of that year passing the case filters; $themes only limits which
-- themes are listed. A (year, theme) pair with no case does not appear.
WITH ct AS (
    SELECT * FROM case_themes($as_of, $partnerships, $year_from, $year_to)
),
totals AS (
    SELECT year, count(DISTINCT case_id) AS cases_total FROM ct GROUP BY year
),
final AS (
    SELECT ct.year, ct.theme, count(*) AS cases, t.cases_total,
           round(100.0 * count(*) / t.cases_total, 1) AS pct_cases
    FROM ct
    JOIN totals t ON t.year IS NOT DISTINCT FROM ct.year
    WHERE ct.theme IS NOT NULL AND (len($themes) = 0 OR list_contains($themes, ct.theme))
    GROUP BY ct.year, ct.theme, t.cases_total
)
SELECT * FROM final ORDER BY year NULLS LAST, cases DESC, theme
