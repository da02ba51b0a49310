-- The overdue actions at $as_of, oldest first: case, recommendation, action, agencies, target date, days overdue, ageing bucket.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- Overdue: target date before $as_of and status not complete or closed_other. One row per action;
-- `agencies` lists its agencies ("; "-separated, unknown names marked "(unknown)"). A month-only
-- target was stored as the month's last day, so "Jan 2023" is overdue from 1 February 2023.
WITH rows AS (
    SELECT * FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'overdue')
),
-- One row per action: its agencies listed, then its text and its recommendation's joined on.
named AS (
    SELECT action_id, case_id, days_overdue,
           string_agg(CASE WHEN agency_known OR agency = '(no agency named)' THEN agency ELSE agency || ' (unknown)' END,
                      '; ' ORDER BY agency) AS agencies,
           bool_or(NOT agency_known AND agency <> '(no agency named)') AS has_unknown_agency
    FROM rows
    GROUP BY action_id, case_id, days_overdue
),
final AS (
    SELECT c.case_id, c.reference, c.partnership, c.year,
           r.recommendation_id, r.number AS recommendation_number, r.sort_key AS recommendation_sort_key,
           r.text AS recommendation_text, r.level,
           a.action_id, a.seq AS action_seq, a.text AS action_text,
           n.agencies, n.has_unknown_agency,
           a.target_date_raw, CAST(a.target_date AS DATE) AS target_date, a.target_precision,
           a.status, a.status_raw,
           n.days_overdue, overdue_bucket(n.days_overdue) AS ageing_bucket,
           a.src_file, a.src_location, a.src_rows
    FROM named n
    JOIN action a ON a.action_id = n.action_id
    JOIN recommendation r ON r.recommendation_id = a.recommendation_id
    JOIN dhr_case c ON c.case_id = n.case_id
)
SELECT * FROM final
ORDER BY days_overdue DESC, reference, recommendation_sort_key, action_seq
