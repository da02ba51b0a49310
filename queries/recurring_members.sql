-- The recommendations in one recurring group ($group_id) at $as_of: case, year, number, text, similarity, completion.
-- params: group_id, as_of, partnerships, year_from, year_to
WITH members AS (
    SELECT m.group_id, m.recommendation_id, m.similarity, c.case_id, c.reference, c.partnership, c.year,
           r.number AS recommendation_number, r.sort_key AS recommendation_sort_key, r.text, r.level,
           r.src_file, r.src_location, r.src_rows
    FROM recurring_member m
    JOIN cases_in_force($as_of, $partnerships, $year_from, $year_to) c ON c.case_id = m.case_id
    JOIN recommendation r ON r.recommendation_id = m.recommendation_id AND r.plan_version_id = c.plan_version_id
    WHERE m.group_id = $group_id
),
rec_done AS (
    SELECT a.recommendation_id, count(*) AS actions, count(*) FILTER (WHERE a.status = 'complete') AS actions_complete
    FROM action a
    WHERE a.recommendation_id IN (SELECT recommendation_id FROM members)
    GROUP BY a.recommendation_id
),
final AS (
    SELECT m.*, coalesce(d.actions, 0) AS actions, coalesce(d.actions_complete, 0) AS actions_complete,
           coalesce(d.actions > 0 AND d.actions = d.actions_complete, false) AS complete
    FROM members m LEFT JOIN rec_done d USING (recommendation_id)
)
SELECT * FROM final ORDER BY year NULLS LAST, partnership, reference, recommendation_sort_key
