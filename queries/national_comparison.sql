-- Local case-level figures at $as_of beside national DHRD figures, for each measure both can give (mental health, substance misuse, coercive control, toxic trio).
-- params: as_of, partnerships, year_from, year_to
-- Local: share of the filtered cases whose plan in force carries the measure's topic theme (toxic
-- trio: the trio rule of toxic_trio_summary). National: share of DHRD incidents with the flag TRUE
-- among those where it is known (empty DHRD cells are unknown, not absent), death year within
-- $year_from..$year_to. The two describe different things (what plans address vs what reviews
-- recorded about victim and perpetrator): read them side by side, not as equal measures.
-- Every row carries the DHRD credit, to be shown with the figures. No rows until
-- dhrlearn.analytics.load_dhrd has run (the measures come with the DHRD files); a measure's national
-- columns are NULL when no DHRD incident is in the year range.
WITH cases AS MATERIALIZED (
    SELECT case_id, plan_version_id FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
-- Only the themes a measure or the trio rule reads: one row per plan in force and theme.
themes AS (
    SELECT t.plan_version_id, t.theme
    FROM plan_theme_fact t
    WHERE t.plan_version_id IN (SELECT plan_version_id FROM cases)
      AND (t.theme IN ('substance_misuse', 'mental_health', 'toxic_trio')
           OR t.theme IN (SELECT theme FROM dhrd_measure))
),
theme_counts AS (
    SELECT theme, count(*) AS cases_with FROM themes GROUP BY theme
),
trio AS (
    SELECT count(*) AS trio_cases
    FROM (SELECT plan_version_id FROM themes
          GROUP BY plan_version_id
          HAVING bool_or(theme = 'toxic_trio')
              OR (bool_or(theme = 'substance_misuse') AND bool_or(theme = 'mental_health')))
),
local_figures AS (
    SELECT m.measure,
           CASE WHEN m.measure = 'toxic_trio' THEN t.trio_cases ELSE coalesce(tc.cases_with, 0) END AS local_cases_with,
           (SELECT count(*) FROM cases) AS local_cases
    FROM dhrd_measure m
    CROSS JOIN trio t
    LEFT JOIN theme_counts tc ON tc.theme = m.theme
),
national_figures AS (
    SELECT f.measure,
           count(f.value) AS national_cases_known,
           count(*) FILTER (WHERE f.value) AS national_cases_with
    FROM dhrd_flag f
    JOIN dhrd_incident i ON i.incident_id = f.incident_id
    WHERE (coalesce($year_from, -1) <= -1 AND coalesce($year_to, 9999) >= 9999)
       OR i.death_year BETWEEN coalesce($year_from, -1) AND coalesce($year_to, 9999)
    GROUP BY f.measure
),
final AS (
    SELECT m.measure, m.label, m.theme,
           l.local_cases, l.local_cases_with,
           round(100.0 * l.local_cases_with / nullif(l.local_cases, 0), 1) AS local_pct,
           n.national_cases_known, n.national_cases_with,
           round(100.0 * n.national_cases_with / nullif(n.national_cases_known, 0), 1) AS national_pct,
           m.description,
           'National figures: The Domestic Homicide Review Dataset (DHRD) for England and Wales, Cook & Cook (2026), CC BY 4.0, doi:10.5281/zenodo.21108268; derived counts, data unchanged.' AS source
    FROM dhrd_measure m
    JOIN local_figures l USING (measure)
    LEFT JOIN national_figures n USING (measure)
)
SELECT * FROM final ORDER BY measure
