-- How common each topic theme is across cases at $as_of: cases with it, share of cases, recommendations with it.
-- params: as_of, partnerships, year_from, year_to, themes
-- A case has a theme when its plan in force matched it anywhere (recommendation, action or update
-- text). The denominator is every case passing the case filters (partnerships, years); $themes
-- only limits which themes are listed. Themes matched in no case do not appear.
-- Counted from plan_theme_fact: one row per plan version and theme, with its recommendations.
WITH cases AS MATERIALIZED (
    SELECT case_id, plan_version_id FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
total AS (
    SELECT count(*) AS cases_total FROM cases
),
per_theme AS (
    SELECT t.theme, count(*) AS cases, CAST(sum(t.recommendations) AS BIGINT) AS recommendations
    FROM plan_theme_fact t
    WHERE t.plan_version_id IN (SELECT plan_version_id FROM cases)
      AND (len($themes) = 0 OR list_contains($themes, t.theme))
    GROUP BY t.theme
),
final AS (
    SELECT p.theme, p.cases, t.cases_total, round(100.0 * p.cases / t.cases_total, 1) AS pct_cases,
           p.recommendations
    FROM per_theme p CROSS JOIN total t
)
SELECT * FROM final ORDER BY cases DESC, theme
