-- What changed between two dates ("since the last meeting"): actions completed, slipped, new, removed or reopened.
-- params: date_from, date_to, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- Compares each case's plan in force at $date_from with its plan in force at $date_to, matching
-- actions by case + recommendation sort_key + action seq (see action_changes in dhrlearn/store/migrations/002_analytics.sql).
-- Slipped: not complete or closed at $date_to and became off_track, or its target date passed
-- in between ($date_from <= target < $date_to), or its target moved later. Unchanged actions are left out.
-- Only the plans of cases passing the case filters are compared (actions pair within a case).
WITH cases AS (
    SELECT case_id FROM dhr_case WHERE case_matches(partnership, year, $partnerships, $year_from, $year_to)
),
changes AS (
    SELECT *
    FROM action_changes((SELECT coalesce(list(plan_version_id), []) FROM plan_in_force($date_from)
                         WHERE case_id IN (SELECT case_id FROM cases)),
                        (SELECT coalesce(list(plan_version_id), []) FROM plan_in_force($date_to)
                         WHERE case_id IN (SELECT case_id FROM cases)),
                        $date_from, $date_to)
    WHERE change IS NOT NULL
),
selected AS (
    SELECT ch.*, c.reference, c.partnership, c.year
    FROM changes ch
    JOIN dhr_case c ON c.case_id = ch.case_id
    JOIN action a ON a.action_id = ch.action_id
    WHERE case_matches(c.partnership, c.year, $partnerships, $year_from, $year_to)
      AND action_matches(ch.action_id, a.recommendation_id, $agencies, $agency_types, $themes)
),
final AS (
    SELECT s.change, s.slip_reasons,
           s.case_id, s.reference, s.partnership,
           r.number AS recommendation_number, r.sort_key AS recommendation_sort_key,
           r.text AS recommendation_text, r.level,
           a.seq AS action_seq, a.text AS action_text,
           s.before_status, s.after_status, s.before_target_date, s.after_target_date,
           a.target_date_raw, a.update_text,
           s.before_action_id, s.after_action_id, a.plan_version_id,
           a.src_file, a.src_location, a.src_rows
    FROM selected s
    JOIN action a ON a.action_id = s.action_id
    JOIN recommendation r ON r.recommendation_id = a.recommendation_id
    WHERE len($levels) = 0 OR list_contains($levels, r.level)
)
SELECT * FROM final
ORDER BY CASE change WHEN 'completed' THEN 1 WHEN 'slipped' THEN 2 WHEN 'new' THEN 3
                     WHEN 'reopened' THEN 4 ELSE 5 END,
         partnership, reference, recommendation_sort_key, action_seq
