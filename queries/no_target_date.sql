-- Data quality: selected actions at $as_of with no usable target date (never counted as overdue).
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- `target_date_raw` shows what the plan said instead (empty, or a note the importer could not read).
WITH rows AS (
    SELECT * FROM selected_action_agencies($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'no_target_date')
),
named AS (
    SELECT action_id,
           string_agg(CASE WHEN agency_known OR agency = '(no agency named)' THEN agency ELSE agency || ' (unknown)' END,
                      '; ' ORDER BY agency) AS agencies,
           bool_or(NOT agency_known AND agency <> '(no agency named)') AS has_unknown_agency
    FROM rows
    GROUP BY action_id
),
sel AS (
    SELECT * EXCLUDE (agency, agency_canonical, agency_known, agency_type, agency_via)
    FROM rows
    QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY agency) = 1
),
final AS (
    SELECT sel.case_id, sel.reference, sel.partnership,
           sel.recommendation_id, sel.number AS recommendation_number, sel.sort_key AS recommendation_sort_key,
           sel.action_id, sel.seq AS action_seq, sel.action_text,
           n.agencies,
           sel.target_date_raw, sel.status, sel.status_raw,
           sel.src_file, sel.src_location, sel.src_rows
    FROM sel
    JOIN named n USING (action_id)
)
SELECT * FROM final ORDER BY partnership, reference, recommendation_sort_key, action_seq
