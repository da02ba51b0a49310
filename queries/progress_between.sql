-- What changed between two dates ("since the last meeting"): actions completed, slipped, new, removed or reopened.
-- params: date_from, date_to, partnerships, year_from, year_to, agencies, agency_types, levels, themes, limit
-- Compares each case's plan in force at $date_from with its plan in force at $date_to, matching
-- actions by lineage (see action_changes and action_lineage_rows in
-- dhrlearn/store/migrations/014_action_lineage.sql): each version's actions were paired with the version
-- before it by recommendation key, then wording, then place, and an action is followed through every
-- version in between.
-- Slipped: not complete or closed at $date_to and became off_track, or its target date passed
-- in between ($date_from <= target < $date_to), or its target moved later. Unchanged actions are left out.
-- Only the plans of cases passing the case filters are compared (actions pair within a case).
-- $limit: the first rows of each kind of change only (NULL = every row); change_total on every row
-- counts that kind's rows in the whole list.
-- Only cases whose plan in force changed between the dates are paired action by action: in a case
-- whose plan stayed the same, an action can only have slipped by its target date passing, which
-- its fact row says directly. Each kind of change is listed case by case (partnership, then reference)
-- and, within a case, in plan order (as the Cases page lists the plan: recommendations by sort key, those
-- without one last, then actions by seq): both stored as integers, dhr_case.list_order and
-- action_fact.plan_order (migration 015_list_order.sql), so the window ranks by one number. Texts are
-- joined only for the rows kept. Update logs (which name staff) and targets as written are left out: the lists and their
-- downloads show neither.
WITH cases AS (
    SELECT case_id, reference, partnership, list_order
    FROM dhr_case WHERE case_matches(partnership, year, $partnerships, $year_from, $year_to)
),
plans AS MATERIALIZED (
    SELECT coalesce(t.case_id, f.case_id) AS case_id,
           f.plan_version_id AS from_version, t.plan_version_id AS to_version
    FROM (SELECT * FROM plan_in_force($date_from) WHERE case_id IN (SELECT case_id FROM cases)) f
    FULL OUTER JOIN (SELECT * FROM plan_in_force($date_to) WHERE case_id IN (SELECT case_id FROM cases)) t
        ON t.case_id = f.case_id
),
-- Cases whose plan changed are paired action by action: a case with no plan at $date_from has every
-- action new, and one with no plan at $date_to (only when $date_from is the later date) every action removed.
paired AS (
    SELECT case_id, before_action_id, after_action_id, action_id, before_status, after_status,
           before_target_date, after_target_date, change, slip_reasons, recommendation_id, level, seq, plan_order
    FROM action_changes((SELECT coalesce(list(from_version), []) FROM plans
                         WHERE from_version IS DISTINCT FROM to_version AND from_version IS NOT NULL),
                        (SELECT coalesce(list(to_version), []) FROM plans
                         WHERE from_version IS DISTINCT FROM to_version AND to_version IS NOT NULL),
                        $date_from, $date_to)
    WHERE change IS NOT NULL
),
-- A case whose plan stayed the same needs no pairing: its actions slipped whose target date passed in between.
passed AS (
    SELECT f.case_id, f.action_id AS before_action_id, f.action_id AS after_action_id, f.action_id,
           f.status AS before_status, f.status AS after_status,
           f.target_date AS before_target_date, f.target_date AS after_target_date,
           'slipped' AS change, 'target date passed' AS slip_reasons, f.recommendation_id, f.level, f.seq,
           f.plan_order
    FROM action_fact f
    WHERE f.target_date >= CAST($date_from AS DATE) AND f.target_date < CAST($date_to AS DATE)
      AND f.status NOT IN ('complete', 'closed_other')
      AND f.plan_version_id IN (SELECT to_version FROM plans WHERE from_version = to_version)
),
selected AS (
    SELECT ch.*, c.list_order,
           CASE ch.change WHEN 'completed' THEN 1 WHEN 'slipped' THEN 2 WHEN 'new' THEN 3
                          WHEN 'reopened' THEN 4 ELSE 5 END AS change_order
    FROM (SELECT * FROM paired UNION ALL SELECT * FROM passed) ch
    JOIN cases c ON c.case_id = ch.case_id
    WHERE (len($levels) = 0 OR list_contains($levels, ch.level))
      AND action_matches(ch.action_id, ch.recommendation_id, $agencies, $agency_types, $themes)
),
-- Each kind's first $limit rows, in list order, and how many it has in all. One window over the selected
-- rows: cheaper than finding first the cases that hold those rows. A kind's rows of one case all come from
-- one plan (the after plan; removed: the before plan), so their plan_order compares.
kept AS (
    SELECT s.*, count(*) OVER (PARTITION BY s.change_order) AS change_total
    FROM selected s
    QUALIFY $limit IS NULL OR row_number() OVER (PARTITION BY s.change_order
                ORDER BY (CAST(s.list_order AS BIGINT) << 32) + s.plan_order) <= $limit
),
final AS (
    SELECT k.change, k.slip_reasons,
           k.case_id, c.reference, c.partnership,
           r.number AS recommendation_number, r.sort_key AS recommendation_sort_key,
           r.text AS recommendation_text, r.level,
           a.seq AS action_seq, a.text AS action_text,
           k.before_status, k.after_status, k.before_target_date, k.after_target_date,
           k.before_action_id, k.after_action_id, a.plan_version_id,
           a.src_file, a.src_location, a.src_rows,
           CAST(k.change_total AS BIGINT) AS change_total,
           k.change_order, k.list_order, k.plan_order
    FROM kept k
    JOIN cases c ON c.case_id = k.case_id
    JOIN action a ON a.action_id = k.action_id
    JOIN recommendation r ON r.recommendation_id = k.recommendation_id
)
SELECT * EXCLUDE (change_order, list_order, plan_order) FROM final
ORDER BY change_order, list_order, plan_order
