-- Every imported plan version of one case, newest first, with counts, warnings and which one is in force at $as_of.
-- params: case_id, as_of
WITH versions AS (
    SELECT pv.*, coalesce(pv.as_of_date, CAST(pv.imported_at AS DATE)) AS version_date
    FROM plan_version pv WHERE pv.case_id = $case_id
),
acts AS (
    SELECT plan_version_id, count(*) AS actions, count(*) FILTER (WHERE status = 'complete') AS actions_complete,
           count(DISTINCT recommendation_id) AS recommendations
    FROM action WHERE case_id = $case_id GROUP BY plan_version_id
),
warns AS (
    SELECT plan_version_id, count(*) AS warnings
    FROM import_warning WHERE plan_version_id IN (SELECT plan_version_id FROM versions)
    GROUP BY plan_version_id
),
final AS (
    SELECT v.plan_version_id, v.version_date, CAST(v.as_of_date AS DATE) AS as_of_date, v.imported_at,
           v.source_file, v.format, v.importer_version, v.sha256,
           coalesce(a.recommendations, 0) AS recommendations, coalesce(a.actions, 0) AS actions,
           coalesce(a.actions_complete, 0) AS actions_complete,
           coalesce(w.warnings, 0) AS warnings,
           v.plan_version_id IN (SELECT plan_version_id FROM plan_in_force($as_of) WHERE case_id = $case_id) AS in_force
    FROM versions v
    LEFT JOIN acts a USING (plan_version_id)
    LEFT JOIN warns w USING (plan_version_id)
)
SELECT * FROM final ORDER BY version_date DESC, imported_at DESC, plan_version_id DESC
