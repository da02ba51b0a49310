-- Recommendations made again across cases at $as_of: each group of near-identical recommendations from two or more cases, with cases, years and completion.
-- params: as_of, partnerships, year_from, year_to
-- Members are recommendations of the plans in force that pass the case filters; a group is listed
-- when those members come from at least two cases. representative_text: the member most similar
-- to the group's representative (ties: the lowest recommendation_id). A recommendation is complete
-- when all its actions are complete. Reads recurring_case_fact (one row per group and case; see
-- migration 005), so no recommendation or action is joined.
WITH labelled AS (
    SELECT case_id, plan_version_id, partnership, year,
           reference || ' (' || partnership || coalesce(', ' || year, '') || ')' AS label
    FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
-- Case lists are built from each case's place in label order: sorting small integers per group and
-- looking the labels up once is about twice as fast as an ordered string_agg over every member.
cases AS (
    SELECT *, CAST(row_number() OVER (ORDER BY label) AS INTEGER) AS label_order FROM labelled
),
labels_in_order AS (
    SELECT list(label ORDER BY label_order) AS labels FROM cases
),
-- A member counts only while its plan version is the one in force.
aggregated AS (
    SELECT g.group_id,
           count(*) AS cases,
           sum(g.recommendations) AS recommendations,
           count(DISTINCT c.partnership) AS partnerships,
           list(c.year) AS kept_years,
           list(c.label_order) AS label_orders,
           arg_max(g.representative_text, (g.similarity, -g.representative_id)) AS representative_text,
           sum(g.recommendations_complete) AS recommendations_complete
    FROM recurring_case_fact g
    JOIN cases c ON c.case_id = g.case_id AND c.plan_version_id = g.plan_version_id
    GROUP BY g.group_id
),
final AS (
    SELECT group_id, cases, CAST(recommendations AS BIGINT) AS recommendations, partnerships,
           list_min(kept_years) AS first_year, list_max(kept_years) AS last_year,
           list_sort(list_distinct(kept_years)) AS years,
           array_to_string(list_transform(list_sort(label_orders), lambda i: labels[i]), '; ') AS case_list,
           representative_text, CAST(recommendations_complete AS BIGINT) AS recommendations_complete,
           round(100.0 * recommendations_complete / recommendations, 1) AS pct_recommendations_complete
    FROM aggregated, labels_in_order
    WHERE cases >= 2
)
SELECT * FROM final ORDER BY cases DESC, last_year DESC NULLS LAST, group_id
