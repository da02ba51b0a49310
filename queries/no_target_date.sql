-- Data quality: selected actions at $as_of with no usable target date (never counted as overdue).
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- `target_date_raw` shows what the plan said instead (empty, or a note the importer could not read).
WITH sel AS (
    SELECT * FROM selected_actions($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
    WHERE no_target_date
),
named AS (
    SELECT sel.action_id,
           string_agg(CASE WHEN g.agency_known THEN g.agency_label ELSE g.agency_label || ' (unknown)' END,
                      '; ' ORDER BY g.agency_label) AS agencies
    FROM sel
    LEFT JOIN action_agency g ON g.action_id = sel.action_id
    GROUP BY sel.action_id
),
final AS (
    SELECT sel.case_id, sel.reference, sel.partnership,
           sel.recommendation_id, sel.number AS recommendation_number, sel.sort_key AS recommendation_sort_key,
           sel.action_id, sel.seq AS action_seq, sel.action_text,
           coalesce(n.agencies, '(no agency named)') AS agencies,
           sel.target_date_raw, sel.status, sel.status_raw,
           sel.src_file, sel.src_location, sel.src_rows
    FROM sel
    JOIN named n USING (action_id)
)
SELECT * FROM final ORDER BY partnership, reference, recommendation_sort_key, action_seq
