-- The overdue actions at $as_of, oldest first: case, recommendation, action, agencies, target date, days overdue, ageing bucket.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- Overdue: target date before $as_of and status not complete or closed_other. One row per action;
-- `agencies` lists its agencies ("; "-separated, unknown names marked "(unknown)"). A month-only
-- target was stored as the month's last day, so "Jan 2023" is overdue from 1 February 2023.
WITH rows AS (
    SELECT * FROM selected_action_agencies($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'overdue')
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
    SELECT sel.case_id, sel.reference, sel.partnership, sel.year,
           sel.recommendation_id, sel.number AS recommendation_number, sel.sort_key AS recommendation_sort_key, sel.recommendation_text, sel.level,
           sel.action_id, sel.seq AS action_seq, sel.action_text,
           n.agencies, n.has_unknown_agency,
           sel.target_date_raw, CAST(sel.target_date AS DATE) AS target_date, sel.target_precision,
           sel.status, sel.status_raw,
           sel.days_overdue, overdue_bucket(sel.days_overdue) AS ageing_bucket,
           sel.src_file, sel.src_location, sel.src_rows
    FROM sel
    JOIN named n USING (action_id)
)
SELECT * FROM final
ORDER BY days_overdue DESC, reference, recommendation_sort_key, action_seq
