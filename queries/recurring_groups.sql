-- Recommendations made again across cases at $as_of: each group of near-identical recommendations from two or more cases, with cases, years and completion.
-- params: as_of, partnerships, year_from, year_to
-- Members are recommendations of the plans in force that pass the case filters; a group is listed
-- when those members come from at least two cases. representative_text: the member most similar
-- to the group's representative (ties: the lowest recommendation_id). A recommendation is complete
-- when all its actions are complete. Reads recurring_case_fact (one row per group and case; see
-- migration 005), so no recommendation or action is joined. A group's cases, with their recommendations,
-- are listed by recurring_members (the page's drill-down): a list of every case on each group's row
-- was most of this query's time at 10,000 cases, and no page showed it.
WITH cases AS (
    SELECT case_id, plan_version_id, partnership, year FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
-- A member counts only while its plan version is the one in force.
aggregated AS (
    SELECT g.group_id,
           count(*) AS cases,
           sum(g.recommendations) AS recommendations,
           count(DISTINCT c.partnership) AS partnerships,
           list(c.year) AS kept_years,
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
           representative_text, CAST(recommendations_complete AS BIGINT) AS recommendations_complete,
           round(100.0 * recommendations_complete / recommendations, 1) AS pct_recommendations_complete
    FROM aggregated
    WHERE cases >= 2
)
SELECT * FROM final ORDER BY cases DESC, last_year DESC NULLS LAST, group_id
