-- Local case-level figures at $as_of beside national DHRD figures, for each measure both can give (mental health, substance misuse, coercive control, toxic trio).
-- params: as_of, partnerships, year_from, year_to
-- Local: share of the filtered cases whose plan in force carries the measure's topic theme (toxic
-- trio: the trio rule of toxic_trio_summary). National: share of DHRD incidents with the flag TRUE
-- among those where it is known (empty DHRD cells are unknown, not absent), death year within
-- $year_from..$year_to. The two describe different things (what plans address vs what reviews
-- recorded about victim and perpetrator): read them side by side, not as equal measures.
-- Every row carries the DHRD credit, to be shown with the figures. National columns are NULL
-- until dhrlearn.analytics.load_dhrd has run.
WITH cases AS (
    SELECT * FROM trio_cases($as_of, $partnerships, $year_from, $year_to)
),
case_theme AS (
    SELECT case_id, theme FROM case_themes($as_of, $partnerships, $year_from, $year_to) WHERE theme IS NOT NULL
),
theme_counts AS (
    SELECT theme, count(DISTINCT case_id) AS cases_with FROM case_theme GROUP BY theme
),
local_figures AS (
    SELECT m.measure,
           CASE WHEN m.measure = 'toxic_trio' THEN t.trio_cases ELSE coalesce(tc.cases_with, 0) END AS local_cases_with,
           t.cases AS local_cases
    FROM dhrd_measure m
    CROSS JOIN (SELECT count(*) AS cases, count(*) FILTER (WHERE is_trio) AS trio_cases FROM cases) t
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
