-- Import warnings of every stored plan version, with case, file and place, newest version first.
-- params: partnerships, year_from, year_to
WITH final AS (
    SELECT w.warning_id, w.severity, w.field, w.message, w.src_file, w.src_location, w.src_rows,
           w.plan_version_id, pv.imported_at, c.case_id, c.reference, c.partnership, c.year
    FROM import_warning w
    JOIN plan_version pv ON pv.plan_version_id = w.plan_version_id
    JOIN dhr_case c ON c.case_id = pv.case_id
    WHERE case_matches(c.partnership, c.year, $partnerships, $year_from, $year_to)
)
SELECT * FROM final ORDER BY imported_at DESC, plan_version_id DESC, warning_id
