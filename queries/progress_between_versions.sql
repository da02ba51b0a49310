-- What changed between two plan versions of a case: actions completed, slipped, new, removed or reopened.
-- params: from_version, to_version, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- $from_version / $to_version are plan_version_id values (usually of the same case; see case_versions).
-- Actions are matched as in action_changes (migration 014: by lineage, each version paired with the one before
-- by wording, then place); the versions' dates (as-of date, else import date) stand for the two moments, as in
-- progress_between.
WITH changes AS (
    SELECT *
    FROM action_changes([$from_version], [$to_version],
                        (SELECT coalesce(as_of_date, CAST(imported_at AS DATE)) FROM plan_version WHERE plan_version_id = $from_version),
                        (SELECT coalesce(as_of_date, CAST(imported_at AS DATE)) FROM plan_version WHERE plan_version_id = $to_version))
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
    -- Only the two versions' recommendations: the planner cannot tell how few rows the pairing gives, and
    -- without this bound it read all of `recommendation` into the join's table (23 of 30 ms at 10,000 cases).
    JOIN recommendation r ON r.recommendation_id = a.recommendation_id
                         AND r.plan_version_id IN ($from_version, $to_version)
    WHERE len($levels) = 0 OR list_contains($levels, r.level)
)
SELECT * FROM final
ORDER BY CASE change WHEN 'completed' THEN 1 WHEN 'slipped' THEN 2 WHEN 'new' THEN 3
                     WHEN 'reopened' THEN 4 ELSE 5 END,
         partnership, reference, recommendation_sort_key, action_seq
