-- The toxic-trio cases at $as_of, with why each counts and how far its trio-related actions are complete.
-- params: as_of, partnerships, year_from, year_to
-- Trio-related actions carry substance misuse, mental health or the named trio (action_theme_fact):
-- read straight from the theme facts of the trio cases' versions in force.
WITH cases AS MATERIALIZED (
    SELECT * FROM trio_cases($as_of, $partnerships, $year_from, $year_to) WHERE is_trio
),
trio_actions AS (
    SELECT DISTINCT t.plan_version_id, t.action_id, t.status, t.target_date
    FROM action_theme_fact t
    WHERE t.theme IN ('substance_misuse', 'mental_health', 'toxic_trio')
      AND t.plan_version_id IN (SELECT plan_version_id FROM cases)
),
per_version AS (
    SELECT plan_version_id, count(*) AS trio_actions,
           count(*) FILTER (WHERE status = 'complete') AS trio_actions_complete,
           count(*) FILTER (WHERE overdue_at(target_date, status, $as_of)) AS trio_actions_overdue
    FROM trio_actions GROUP BY plan_version_id
),
final AS (
    SELECT c.case_id, c.reference, c.partnership, c.year,
           c.has_substance_misuse, c.has_mental_health, c.names_toxic_trio,
           coalesce(p.trio_actions, 0) AS trio_actions,
           coalesce(p.trio_actions_complete, 0) AS trio_actions_complete,
           coalesce(p.trio_actions_overdue, 0) AS trio_actions_overdue
    FROM cases c LEFT JOIN per_version p ON p.plan_version_id = c.plan_version_id
)
SELECT * FROM final ORDER BY year NULLS LAST, partnership, reference
