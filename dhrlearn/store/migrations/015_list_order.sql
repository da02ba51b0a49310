-- Lists of actions are in case order (partnership, then reference) and, within a case, in plan order.
-- Since last meeting ranked each kind of change by five columns, three of them text, on every query: at
-- 10,000 cases the window that keeps each kind's first rows was its largest step. Both orders are now
-- stored as integers, so a list sorts on one number.
--
-- dhr_case.list_order: the case's place among all cases by partnership, then reference (unique together).
-- A new case moves the cases after it, so dhrlearn.store.facts.refresh_facts renumbers every case whenever
-- plan_span is refreshed (at import, with the new case's first version).
ALTER TABLE dhr_case ADD COLUMN IF NOT EXISTS list_order INTEGER;

CREATE OR REPLACE MACRO case_list_order() AS TABLE
SELECT case_id, CAST(row_number() OVER (ORDER BY partnership, reference, case_id) AS INTEGER) AS list_order
FROM dhr_case;

UPDATE dhr_case SET list_order = o.list_order FROM case_list_order() o WHERE o.case_id = dhr_case.case_id;

-- cases_in_force as in migration 002, with the case's list_order.
CREATE OR REPLACE MACRO cases_in_force(as_of, partnerships, year_from, year_to) AS TABLE
SELECT c.case_id, c.reference, c.partnership, c.area, c.region, c.year, c.is_demo,
       p.plan_version_id, p.version_date, c.list_order
FROM plan_in_force(as_of) p
JOIN dhr_case c ON c.case_id = p.case_id
WHERE case_matches(c.partnership, c.year, partnerships, year_from, year_to);

-- action_fact.plan_order: the action's place in its plan version as the Cases page lists the plan
-- (case_plan): by the recommendation's sort key (recommendations without one last), the recommendation,
-- then the action's seq and action_id. It is not comparable across versions.
ALTER TABLE action_fact ADD COLUMN IF NOT EXISTS plan_order INTEGER;

CREATE OR REPLACE MACRO action_fact_rows(versions) AS TABLE
SELECT * EXCLUDE (sort_key),
       CAST(row_number() OVER (PARTITION BY plan_version_id
                               ORDER BY sort_key NULLS LAST, recommendation_id, seq, action_id) AS INTEGER)
           AS plan_order
FROM (
    SELECT a.action_id, a.plan_version_id, a.case_id, a.recommendation_id, r.level, a.seq, a.status,
           CAST(a.target_date AS DATE) AS target_date, a.target_precision,
           CAST(a.completion_date AS DATE) AS completion_date,
           a.action_id = min(a.action_id) OVER by_recommendation AS first_of_recommendation,
           bool_and(a.status = 'complete') OVER by_recommendation AS recommendation_complete,
           pairing_key(r.sort_key, r.number,
                       dense_rank() OVER (PARTITION BY a.plan_version_id, coalesce(r.sort_key, r.number, '')
                                          ORDER BY a.recommendation_id)) AS recommendation_key,
           hash(wording(a.text),
                row_number() OVER (PARTITION BY a.recommendation_id, wording(a.text) ORDER BY a.seq, a.action_id))
               AS action_key,
           r.sort_key
    FROM action a
    JOIN recommendation r ON r.recommendation_id = a.recommendation_id
    WHERE of_versions(a.plan_version_id, versions)
    WINDOW by_recommendation AS (PARTITION BY a.recommendation_id)
)
ORDER BY plan_version_id, action_id;

UPDATE action_fact SET plan_order = k.plan_order
FROM action_fact_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version)) k
WHERE k.action_id = action_fact.action_id;

-- action_changes as in migration 014, giving plan_order (of action_id: the after action, else the before
-- one) where it gave recommendation_key. Within one kind of change, a case's rows all come from one of its
-- two plans (new, completed, slipped, reopened: the after plan; removed: the before plan), so their
-- plan_order compares.
CREATE OR REPLACE MACRO action_changes(from_versions, to_versions, date_from, date_to) AS TABLE
WITH paired AS (
    SELECT coalesce(n.case_id, o.case_id) AS case_id, o.action_id AS before_action_id, n.action_id AS after_action_id,
           coalesce(n.action_id, o.action_id) AS action_id,
           o.status AS before_status, n.status AS after_status,
           o.target_date AS before_target_date, n.target_date AS after_target_date,
           coalesce(n.recommendation_id, o.recommendation_id) AS recommendation_id,
           CASE WHEN n.action_id IS NULL THEN o.level ELSE n.level END AS level,
           coalesce(n.seq, o.seq) AS seq, coalesce(n.plan_order, o.plan_order) AS plan_order
    FROM (SELECT * FROM action_fact WHERE plan_version_id IN (SELECT unnest(from_versions))) o
    FULL OUTER JOIN (SELECT * FROM action_fact WHERE plan_version_id IN (SELECT unnest(to_versions))) n
        ON n.lineage_id = o.lineage_id
),
reasons AS (
    SELECT *,
           after_status = 'off_track' AND before_status <> 'off_track' AS became_off_track,
           after_status NOT IN ('complete', 'closed_other')
               AND after_target_date >= CAST(date_from AS DATE) AND after_target_date < CAST(date_to AS DATE)
               AS target_passed,
           after_status NOT IN ('complete', 'closed_other')
               AND after_target_date > before_target_date AS target_moved_later
    FROM paired
)
SELECT case_id, before_action_id, after_action_id, action_id,
       before_status, after_status, before_target_date, after_target_date,
       CASE WHEN before_action_id IS NULL THEN 'new'
            WHEN after_action_id IS NULL THEN 'removed'
            WHEN after_status = 'complete' AND before_status <> 'complete' THEN 'completed'
            WHEN before_status = 'complete' AND after_status <> 'complete' THEN 'reopened'
            WHEN coalesce(became_off_track, false) OR coalesce(target_passed, false)
                 OR coalesce(target_moved_later, false) THEN 'slipped'
       END AS change,
       CASE WHEN before_action_id IS NOT NULL AND after_action_id IS NOT NULL
                 AND NOT (after_status = 'complete' AND before_status <> 'complete')
                 AND NOT (before_status = 'complete' AND after_status <> 'complete')
            THEN nullif(concat_ws('; ',
                     CASE WHEN became_off_track THEN 'now off track' END,
                     CASE WHEN target_passed THEN 'target date passed' END,
                     CASE WHEN target_moved_later THEN 'target moved later' END), '')
       END AS slip_reasons,
       recommendation_id, level, seq, plan_order
FROM reasons;
