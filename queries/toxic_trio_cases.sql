-- The toxic-trio cases at $as_of, with why each counts and how far its trio-related actions are complete.
-- params: as_of, partnerships, year_from, year_to
WITH cases AS (
    SELECT * FROM trio_cases($as_of, $partnerships, $year_from, $year_to) WHERE is_trio
),
trio_actions AS (
    SELECT x.case_id, x.is_complete, x.is_overdue
    FROM trio_related_facts($as_of) x
    WHERE x.case_id IN (SELECT case_id FROM cases WHERE is_trio)
),
per_case AS (
    SELECT case_id, count(*) AS trio_actions, count(*) FILTER (WHERE is_complete) AS trio_actions_complete,
           count(*) FILTER (WHERE is_overdue) AS trio_actions_overdue
    FROM trio_actions GROUP BY case_id
),
final AS (
    SELECT c.case_id, c.reference, c.partnership, c.year,
           c.has_substance_misuse, c.has_mental_health, c.names_toxic_trio,
           coalesce(p.trio_actions, 0) AS trio_actions,
           coalesce(p.trio_actions_complete, 0) AS trio_actions_complete,
           coalesce(p.trio_actions_overdue, 0) AS trio_actions_overdue
    FROM cases c LEFT JOIN per_case p USING (case_id)
)
SELECT * FROM final ORDER BY year NULLS LAST, partnership, reference
