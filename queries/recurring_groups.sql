-- Recommendations made again across cases at $as_of: each group of near-identical recommendations from two or more cases, with cases, years and completion.
-- params: as_of, partnerships, year_from, year_to
-- Members are recommendations of the plans in force that pass the case filters; a group is listed
-- when those members come from at least two cases. representative_text: the member most similar
-- to the group's representative (ties: the lowest recommendation_id). A recommendation is complete
-- when all its actions are complete. Reads recurring_case_fact (one row per group and case) and
-- recurring_group_fact (each group's cases as lists in label order; see migration 005).
WITH cases AS (
    SELECT *, hash(label) AS label_hash
    FROM (SELECT case_id, plan_version_id, partnership, year,
                 reference || ' (' || partnership || coalesce(', ' || year, '') || ')' AS label
          FROM cases_in_force($as_of, $partnerships, $year_from, $year_to))
),
-- A member counts only while its plan version is the one in force.
selected AS (
    SELECT g.*, c.partnership, c.year, c.label_hash
    FROM recurring_case_fact g
    JOIN cases c ON c.case_id = g.case_id AND c.plan_version_id = g.plan_version_id
),
counted AS (
    SELECT group_id, count(*) AS cases, bit_xor(label_hash) AS labels_hash FROM selected GROUP BY group_id
),
-- Each group's stored lists cut to the years selected (a mask over its cases).
stored AS (
    SELECT *, list_bool_and(keep) AS whole
    FROM (SELECT list_transform(years, lambda y: coalesce(case_matches('', y, [], $year_from, $year_to), false)) AS keep, *
          FROM recurring_group_fact
          WHERE len($partnerships) = 0)
),
-- Where the cut holds exactly the selected cases (same count, same labels by hash), the figures
-- come from it (or, when nothing is cut, from the group's stored totals): no join to aggregate,
-- no text to sort.
from_lists AS (
    SELECT s.group_id,
           c.cases,
           CASE WHEN s.whole THEN s.recommendation_count ELSE list_sum(list_where(s.recommendations, s.keep)) END AS recommendations,
           CASE WHEN s.whole THEN s.partnership_count ELSE len(list_distinct(list_where(s.partnerships, s.keep))) END AS partnerships,
           CASE WHEN s.whole THEN s.years ELSE list_where(s.years, s.keep) END AS kept_years,
           CASE WHEN s.whole THEN s.case_list ELSE array_to_string(list_where(s.labels, s.keep), '; ') END AS case_list,
           s.representative_texts[CASE WHEN s.whole THEN 1 ELSE list_min(list_where(s.ranks, s.keep)) END] AS representative_text,
           CASE WHEN s.whole THEN s.complete_count ELSE list_sum(list_where(s.recommendations_complete, s.keep)) END AS recommendations_complete
    FROM stored s
    JOIN counted c ON c.group_id = s.group_id
    WHERE CASE WHEN s.whole THEN c.cases = len(s.ranks) AND c.labels_hash = s.labels_hash
               ELSE c.cases = len(list_where(s.ranks, s.keep))
                    AND c.labels_hash = list_aggregate(list_where(s.label_hashes, s.keep), 'bit_xor') END
),
-- Otherwise the selected rows are aggregated.
aggregated AS (
    SELECT g.group_id,
           count(*) AS cases,
           sum(g.recommendations) AS recommendations,
           count(DISTINCT c.partnership) AS partnerships,
           list(c.year) AS kept_years,
           array_to_string(list_sort(list(c.label)), '; ') AS case_list,
           arg_max(g.representative_text, (g.similarity, -g.representative_id)) AS representative_text,
           sum(g.recommendations_complete) AS recommendations_complete
    FROM (SELECT group_id FROM counted WHERE group_id NOT IN (SELECT group_id FROM from_lists)) todo
    JOIN recurring_case_fact g ON g.group_id = todo.group_id
    JOIN cases c ON c.case_id = g.case_id AND c.plan_version_id = g.plan_version_id
    GROUP BY g.group_id
),
final AS (
    SELECT group_id, cases, CAST(recommendations AS BIGINT) AS recommendations, partnerships,
           list_min(kept_years) AS first_year, list_max(kept_years) AS last_year,
           list_sort(list_distinct(kept_years)) AS years,
           case_list, representative_text, CAST(recommendations_complete AS BIGINT) AS recommendations_complete,
           round(100.0 * recommendations_complete / recommendations, 1) AS pct_recommendations_complete
    FROM (SELECT * FROM from_lists UNION ALL SELECT * FROM aggregated)
    WHERE cases >= 2
)
SELECT * FROM final ORDER BY cases DESC, last_year DESC NULLS LAST, group_id
