-- action_changes: take the plan versions to compare through a semi-join, not list_contains per
-- row (a list of 10,000 in-force versions made that quadratic). Same meaning as in migration 003.
CREATE OR REPLACE MACRO action_changes(from_versions, to_versions, date_from, date_to) AS TABLE
WITH before AS (
    SELECT a.action_id, a.case_id, coalesce(r.sort_key, r.number, '') AS rec_key, a.seq,
           a.status, a.target_date
    FROM action a JOIN recommendation r ON r.recommendation_id = a.recommendation_id
    WHERE a.plan_version_id IN (SELECT unnest(from_versions))
),
after AS (
    SELECT a.action_id, a.case_id, coalesce(r.sort_key, r.number, '') AS rec_key, a.seq,
           a.status, a.target_date
    FROM action a JOIN recommendation r ON r.recommendation_id = a.recommendation_id
    WHERE a.plan_version_id IN (SELECT unnest(to_versions))
),
paired AS (
    SELECT coalesce(n.case_id, o.case_id) AS case_id,
           o.action_id AS before_action_id, n.action_id AS after_action_id,
           coalesce(n.action_id, o.action_id) AS action_id,
           o.status AS before_status, n.status AS after_status,
           CAST(o.target_date AS DATE) AS before_target_date, CAST(n.target_date AS DATE) AS after_target_date
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
       END AS slip_reasons
FROM reasons;
