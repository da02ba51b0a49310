-- Progress between two plan states (action_changes of 002) reads the action fact rows: the same
-- status and target date as the action table, in a table without the foreign-key index on
-- plan_version_id. With a few dozen versions the planner scanned `action` through that index, one
-- row fetch at a time (about 70 ms for 50 versions); the fact table is read in one pass.

-- Actions of two plan states side by side, matched by case + recommendation sort_key + action seq.
-- from_versions / to_versions: lists of plan_version_id (the "before" and "after" plans);
-- date_from / date_to: the dates those states stand for. `change` is one of:
--   new        in the after plan only
--   removed    in the before plan only
--   completed  complete after, not before
--   reopened   complete before, not after
--   slipped    not complete or closed after, and: became off_track, or its target date passed
--              between the dates (date_from <= target < date_to), or its target moved later
--   NULL       nothing that matters changed
-- Also on each row: the recommendation_id, level and seq of action_id (the after action, else the
-- before one), which the filters and the order of a list need.
CREATE OR REPLACE MACRO action_changes(from_versions, to_versions, date_from, date_to) AS TABLE
WITH before AS (
    SELECT f.action_id, f.case_id, coalesce(r.sort_key, r.number, '') AS rec_key, f.seq,
           f.status, f.target_date, f.recommendation_id, f.level
    FROM action_fact f JOIN recommendation r ON r.recommendation_id = f.recommendation_id
    WHERE f.plan_version_id IN (SELECT unnest(from_versions))
),
after AS (
    SELECT f.action_id, f.case_id, coalesce(r.sort_key, r.number, '') AS rec_key, f.seq,
           f.status, f.target_date, f.recommendation_id, f.level
    FROM action_fact f JOIN recommendation r ON r.recommendation_id = f.recommendation_id
    WHERE f.plan_version_id IN (SELECT unnest(to_versions))
),
paired AS (
    SELECT coalesce(n.case_id, o.case_id) AS case_id,
           o.action_id AS before_action_id, n.action_id AS after_action_id,
           coalesce(n.action_id, o.action_id) AS action_id,
           o.status AS before_status, n.status AS after_status,
           o.target_date AS before_target_date, n.target_date AS after_target_date,
           coalesce(n.recommendation_id, o.recommendation_id) AS recommendation_id,
           CASE WHEN n.action_id IS NULL THEN o.level ELSE n.level END AS level,
           coalesce(n.seq, o.seq) AS seq
    FROM before o
    FULL OUTER JOIN after n ON n.case_id = o.case_id AND n.rec_key = o.rec_key AND n.seq = o.seq
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
       recommendation_id, level, seq
FROM reasons;
