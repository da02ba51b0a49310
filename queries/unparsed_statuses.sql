-- Status text that could not be read as a status in the plans in force at $as_of: each text as written, how many actions, which cases.
-- params: as_of, partnerships, year_from, year_to
-- Actions whose normalised status is 'unknown', grouped by status_raw ('' when the plan gave none).
WITH cases AS (
    SELECT * FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
final AS (
    SELECT coalesce(a.status_raw, '') AS status_raw,
           count(*) AS actions,
           count(DISTINCT a.case_id) AS cases,
           string_agg(DISTINCT c.reference, '; ') AS case_references,
           min(a.src_file) AS example_file
    FROM action a JOIN cases c ON c.plan_version_id = a.plan_version_id
    WHERE a.status = 'unknown'
    GROUP BY ALL
)
SELECT * FROM final ORDER BY actions DESC, status_raw
