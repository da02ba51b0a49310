-- Which topic themes occur together in the same case at $as_of: each pair with the cases having both.
-- params: as_of, partnerships, year_from, year_to, themes
-- One row per pair (theme_a < theme_b) found together in at least one case; pct_cases is the share
-- of all filtered cases having both; jaccard = both / either. With $themes, pairs involving any of them.
WITH ct AS (
    SELECT case_id, theme FROM case_themes($as_of, $partnerships, $year_from, $year_to)
),
total AS (
    SELECT count(DISTINCT case_id) AS cases_total FROM ct
),
singles AS (
    SELECT theme, count(*) AS cases FROM ct WHERE theme IS NOT NULL GROUP BY theme
),
pairs AS (
    SELECT a.theme AS theme_a, b.theme AS theme_b, count(*) AS cases_both
    FROM ct a
    JOIN ct b ON a.case_id = b.case_id AND a.theme < b.theme
    GROUP BY a.theme, b.theme
),
final AS (
    SELECT p.theme_a, p.theme_b, p.cases_both, sa.cases AS cases_a, sb.cases AS cases_b, t.cases_total,
           round(100.0 * p.cases_both / t.cases_total, 1) AS pct_cases,
           round(p.cases_both / (sa.cases + sb.cases - p.cases_both), 3) AS jaccard
    FROM pairs p
    JOIN singles sa ON sa.theme = p.theme_a
    JOIN singles sb ON sb.theme = p.theme_b
    CROSS JOIN total t
    WHERE len($themes) = 0 OR list_contains($themes, p.theme_a) OR list_contains($themes, p.theme_b)
)
SELECT * FROM final ORDER BY cases_both DESC, theme_a, theme_b
