-- The cases with a plan in force at $as_of: reference, partnership, year, the version in force, action counts, completion and overdue.
-- params: as_of, partnerships, year_from, year_to
-- One row per case passing the case filters, including cases whose plan has no actions.
-- Counted on the action fact rows of the versions in force, one group per version: a recommendation
-- is counted by its first action (first_of_recommendation), not by a DISTINCT over every action.
WITH cases AS MATERIALIZED (
    SELECT * FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
acts AS (
    SELECT f.plan_version_id,
           count(*) AS actions,
           count(*) FILTER (WHERE f.status = 'complete') AS actions_complete,
           count(*) FILTER (WHERE overdue_at(f.target_date, f.status, $as_of)) AS overdue,
           max(days_overdue_at(f.target_date, f.status, $as_of)) AS oldest_overdue_days,
           count(*) FILTER (WHERE f.first_of_recommendation) AS recommendations
    FROM cases c
    JOIN action_fact f ON f.plan_version_id = c.plan_version_id
    GROUP BY f.plan_version_id
),
versions AS (
    SELECT case_id, count(*) AS versions FROM plan_version GROUP BY case_id
),
final AS (
    SELECT c.case_id, c.reference, c.partnership, c.area, c.region, c.year, c.is_demo,
           c.plan_version_id, c.version_date, pv.source_file, v.versions,
           coalesce(a.recommendations, 0) AS recommendations,
           coalesce(a.actions, 0) AS actions,
           coalesce(a.actions_complete, 0) AS actions_complete,
           round(100.0 * a.actions_complete / nullif(a.actions, 0), 1) AS pct_actions_complete,
           coalesce(a.overdue, 0) AS overdue,
           a.oldest_overdue_days
    FROM cases c
    JOIN plan_version pv ON pv.plan_version_id = c.plan_version_id
    JOIN versions v ON v.case_id = c.case_id
    LEFT JOIN acts a ON a.plan_version_id = c.plan_version_id
)
SELECT * FROM final ORDER BY partnership, year NULLS LAST, reference
