-- Text the importer could not place in a column, in the plans in force at $as_of: case, recommendation, the text, where it came from.
-- params: as_of, partnerships, year_from, year_to
-- Nothing is dropped at import: such text is kept on its recommendation for a person to place.
WITH cases AS (
    SELECT * FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
final AS (
    SELECT c.case_id, c.reference, c.partnership, r.recommendation_id, r.number AS recommendation_number,
           r.sort_key AS recommendation_sort_key, r.unplaced_text, r.src_file, r.src_location, r.src_rows
    FROM recommendation r JOIN cases c ON c.plan_version_id = r.plan_version_id
    WHERE coalesce(trim(r.unplaced_text), '') <> ''
)
SELECT * FROM final ORDER BY partnership, reference, recommendation_sort_key
