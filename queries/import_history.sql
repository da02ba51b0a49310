-- Every import attempt, newest first: file, outcome (imported / duplicate / failed), message, and the case and version it made.
-- params: (none)
WITH final AS (
    SELECT l.import_id, l.attempted_at, l.file_name, l.outcome, l.message, l.sha256,
           l.plan_version_id, c.case_id, c.reference, c.partnership,
           CAST(pv.as_of_date AS DATE) AS as_of_date
    FROM import_log l
    LEFT JOIN plan_version pv ON pv.plan_version_id = l.plan_version_id
    LEFT JOIN dhr_case c ON c.case_id = pv.case_id
)
SELECT * FROM final ORDER BY attempted_at DESC, import_id DESC
