-- Data quality: selected actions at $as_of with no usable target date (never counted as overdue).
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- `target_date_raw` shows what the plan said instead (empty, or a note the importer could not read).
WITH rows AS (
    SELECT * FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'no_target_date')
),
-- One row per action: its agencies listed, then its text and its recommendation's joined on.
named AS (
    SELECT action_id, case_id,
           string_agg(CASE WHEN agency_known OR agency = '(no agency named)' THEN agency ELSE agency || ' (unknown)' END,
                      '; ' ORDER BY agency) AS agencies,
           bool_or(NOT agency_known AND agency <> '(no agency named)') AS has_unknown_agency
    FROM rows
    GROUP BY action_id, case_id
),
final AS (
    SELECT c.case_id, c.reference, c.partnership,
           r.recommendation_id, r.number AS recommendation_number, r.sort_key AS recommendation_sort_key,
           a.action_id, a.seq AS action_seq, a.text AS action_text,
           n.agencies,
           a.target_date_raw, a.status, a.status_raw,
           a.src_file, a.src_location, a.src_rows
    FROM named n
    JOIN action a ON a.action_id = n.action_id
    JOIN recommendation r ON r.recommendation_id = a.recommendation_id
    JOIN dhr_case c ON c.case_id = n.case_id
)
SELECT * FROM final ORDER BY partnership, reference, recommendation_sort_key, action_seq
