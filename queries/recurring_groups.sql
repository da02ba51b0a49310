-- Recommendations made again across cases at $as_of: each group of near-identical recommendations from two or more cases, with cases, years and completion.
-- params: as_of, partnerships, year_from, year_to
-- Members are recommendations of the plans in force that pass the case filters; a group is listed
-- when those members come from at least two cases. representative_text: the member most similar
-- to the group's representative. A recommendation is complete when all its actions are complete.
WITH members AS (
    SELECT m.group_id, m.recommendation_id, m.similarity, c.case_id, c.reference, c.partnership, c.year,
           r.text
    FROM recurring_member m
    JOIN cases_in_force($as_of, $partnerships, $year_from, $year_to) c
      ON c.case_id = m.case_id
    JOIN recommendation r ON r.recommendation_id = m.recommendation_id AND r.plan_version_id = c.plan_version_id
),
rec_done AS (
    SELECT a.recommendation_id, bool_and(a.status = 'complete') AS complete
    FROM action a
    WHERE a.recommendation_id IN (SELECT recommendation_id FROM members)
    GROUP BY a.recommendation_id
),
final AS (
    SELECT m.group_id,
           count(DISTINCT m.case_id) AS cases,
           count(*) AS recommendations,
           count(DISTINCT m.partnership) AS partnerships,
           min(m.year) AS first_year, max(m.year) AS last_year,
           list_sort(list_distinct(list(m.year))) AS years,
           string_agg(DISTINCT m.reference || ' (' || m.partnership || coalesce(', ' || m.year, '') || ')', '; '
                      ORDER BY m.reference || ' (' || m.partnership || coalesce(', ' || m.year, '') || ')') AS case_list,
           arg_max(m.text, m.similarity) AS representative_text,
           count(*) FILTER (WHERE d.complete) AS recommendations_complete,
           round(100.0 * count(*) FILTER (WHERE d.complete) / count(*), 1) AS pct_recommendations_complete
    FROM members m
    LEFT JOIN rec_done d USING (recommendation_id)
    GROUP BY m.group_id
    HAVING count(DISTINCT m.case_id) >= 2
)
SELECT * FROM final ORDER BY cases DESC, last_year DESC NULLS LAST, group_id
