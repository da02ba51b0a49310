-- The recommendations in one recurring group ($group_id) at $as_of: case, year, number, text, similarity, completion.
-- params: group_id, as_of, partnerships, year_from, year_to
-- Reads recurring_member_fact (the members with their recommendation's columns; migration 005).
WITH final AS (
    SELECT m.group_id, m.recommendation_id, m.similarity, c.case_id, c.reference, c.partnership, c.year,
           m.number AS recommendation_number, m.sort_key AS recommendation_sort_key, m.text, m.level,
           m.src_file, m.src_location, m.src_rows,
           m.actions, m.actions_complete,
           m.actions > 0 AND m.actions = m.actions_complete AS complete
    FROM recurring_member_fact m
    JOIN cases_in_force($as_of, $partnerships, $year_from, $year_to) c
      ON c.case_id = m.case_id AND c.plan_version_id = m.plan_version_id
    WHERE m.group_id = $group_id
)
SELECT * FROM final ORDER BY year NULLS LAST, partnership, reference, recommendation_sort_key
