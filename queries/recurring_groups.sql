-- Recommendations made again across cases at $as_of: each group of near-identical recommendations from two or more cases, with cases, years and completion.
-- params: as_of, partnerships, year_from, year_to
-- Members are recommendations of the plans in force that pass the case filters; a group is listed
-- when those members come from at least two cases. representative_text: the member most similar
-- to the group's representative (ties: the lowest recommendation_id). A recommendation is complete
-- when all its actions are complete. Reads recurring_case_fact (one row per group and case).
WITH cases AS (
    SELECT case_id, plan_version_id, partnership, year, label,
           dense_rank() OVER (ORDER BY label) AS label_no
    FROM (SELECT *, reference || ' (' || partnership || coalesce(', ' || year, '') || ')' AS label
          FROM cases_in_force($as_of, $partnerships, $year_from, $year_to))
),
-- A member counts only while its plan version is the one in force.
figures AS (
    SELECT g.group_id,
           count(*) AS cases,
           CAST(sum(g.recommendations) AS BIGINT) AS recommendations,
           count(DISTINCT c.partnership) AS partnerships,
           min(c.year) AS first_year, max(c.year) AS last_year,
           list_sort(list_distinct(list(c.year))) AS years,
           -- the cases' labels in label order (sorting numbers is much cheaper than sorting text)
           list_select(list(c.label), list_grade_up(list(c.label_no))) AS labels,
           arg_max(g.representative_text, (g.similarity, -g.representative_id)) AS representative_text,
           CAST(sum(g.recommendations_complete) AS BIGINT) AS recommendations_complete
    FROM recurring_case_fact g
    JOIN cases c ON c.case_id = g.case_id AND c.plan_version_id = g.plan_version_id
    GROUP BY g.group_id
),
final AS (
    SELECT group_id, cases, recommendations, partnerships, first_year, last_year, years,
           array_to_string(labels, '; ') AS case_list,
           representative_text, recommendations_complete,
           round(100.0 * recommendations_complete / recommendations, 1) AS pct_recommendations_complete
    FROM figures
    WHERE cases >= 2
)
SELECT * FROM final ORDER BY cases DESC, last_year DESC NULLS LAST, group_id
