-- Which topic themes occur together in the same case at $as_of: each pair with the cases having both.
-- params: as_of, partnerships, year_from, year_to, themes
-- One row per pair (theme_a < theme_b) found together in at least one case; pct_cases is the share
-- of all filtered cases having both; jaccard = both / either. With $themes, pairs involving any of them.
-- Each case's themes are one bit each in a number (a mask), so a pair is counted by testing two bits
-- of every case's mask rather than by joining the cases' theme rows with themselves.
-- (A mask holds up to 128 themes; the taxonomy has about 20 topic themes.)
WITH cases AS MATERIALIZED (
    SELECT case_id, plan_version_id FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
ct AS (
    SELECT c.case_id, t.theme
    FROM cases c JOIN plan_theme_fact t ON t.plan_version_id = c.plan_version_id
),
bits AS (
    SELECT theme, CAST(1 AS UHUGEINT) << CAST(row_number() OVER (ORDER BY theme) - 1 AS UHUGEINT) AS bit
    FROM (SELECT DISTINCT theme FROM ct)
),
masks AS (
    SELECT bit_or(b.bit) AS mask FROM ct JOIN bits b USING (theme) GROUP BY ct.case_id
),
singles AS (
    SELECT theme, count(*) AS cases FROM ct GROUP BY theme
),
pairs AS (
    SELECT a.theme AS theme_a, b.theme AS theme_b, a.bit | b.bit AS pair
    FROM bits a JOIN bits b ON a.theme < b.theme
    WHERE len($themes) = 0 OR list_contains($themes, a.theme) OR list_contains($themes, b.theme)
),
counted AS (
    SELECT p.theme_a, p.theme_b, count(*) AS cases_both
    FROM pairs p JOIN masks m ON m.mask & p.pair = p.pair
    GROUP BY ALL
),
final AS (
    SELECT p.theme_a, p.theme_b, p.cases_both, sa.cases AS cases_a, sb.cases AS cases_b, t.cases_total,
           round(100.0 * p.cases_both / t.cases_total, 1) AS pct_cases,
           round(p.cases_both / (sa.cases + sb.cases - p.cases_both), 3) AS jaccard
    FROM counted p
    JOIN singles sa ON sa.theme = p.theme_a
    JOIN singles sb ON sb.theme = p.theme_b
    CROSS JOIN (SELECT count(*) AS cases_total FROM cases) t
)
SELECT * FROM final ORDER BY cases_both DESC, theme_a, theme_b
