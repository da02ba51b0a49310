-- The toxic trio's trend: by case year, cases, trio cases and their share, at $as_of.
-- params: as_of, partnerships, year_from, year_to
-- Trio case as in toxic_trio_summary. Cases without a year are grouped under NULL, last.
WITH cases AS (
    SELECT * FROM trio_cases($as_of, $partnerships, $year_from, $year_to)
),
final AS (
    SELECT year, count(*) AS cases, count(*) FILTER (WHERE is_trio) AS trio_cases,
           round(100.0 * count(*) FILTER (WHERE is_trio) / count(*), 1) AS pct_trio_cases
    FROM cases
    GROUP BY year
)
SELECT * FROM final ORDER BY year NULLS LAST
