-- Progress paired a recommendation's actions across two plan versions by their place in it (seq) alone.
-- A tracker that adds an action in the middle of a recommendation's list, or drops one, shifted every
-- action after it: each was compared with its neighbour's row (false completions and slips) and the last
-- was called new. Actions now pair first by their wording, then those left over by their place: an action
-- added or dropped mid-list leaves its neighbours' pairs alone, and an action reworded between versions
-- still pairs with its old self when nothing else moved.
--
-- action_key: which action of its recommendation this is by wording: a hash of the wording (its words in
-- lower case, punctuation and white space between them made one space, so "Train staff." is "Train staff")
-- and which of the recommendation's actions with that wording it is, in plan order (two actions worded
-- alike pair in their order).
CREATE OR REPLACE MACRO wording(text) AS trim(regexp_replace(lower(coalesce(text, '')), '[^\w]+', ' ', 'g'));

ALTER TABLE action_fact ADD COLUMN IF NOT EXISTS action_key UBIGINT;

CREATE OR REPLACE MACRO action_fact_rows(versions) AS TABLE
SELECT a.action_id, a.plan_version_id, a.case_id, a.recommendation_id, r.level, a.seq, a.status,
       CAST(a.target_date AS DATE) AS target_date, a.target_precision, CAST(a.completion_date AS DATE) AS completion_date,
       a.action_id = min(a.action_id) OVER by_recommendation AS first_of_recommendation,
       bool_and(a.status = 'complete') OVER by_recommendation AS recommendation_complete,
       pairing_key(r.sort_key, r.number,
                   dense_rank() OVER (PARTITION BY a.plan_version_id, coalesce(r.sort_key, r.number, '')
                                      ORDER BY a.recommendation_id)) AS recommendation_key,
       hash(wording(a.text),
            row_number() OVER (PARTITION BY a.recommendation_id, wording(a.text) ORDER BY a.seq, a.action_id)) AS action_key
FROM action a
JOIN recommendation r ON r.recommendation_id = a.recommendation_id
WHERE of_versions(a.plan_version_id, versions)
WINDOW by_recommendation AS (PARTITION BY a.recommendation_id)
ORDER BY a.plan_version_id, a.action_id;

UPDATE action_fact SET action_key = k.action_key
FROM action_fact_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version)) k
WHERE k.action_id = action_fact.action_id;

-- Actions of two plan states side by side, matched by case + recommendation key, then by wording (action_key),
-- then, for the actions of a recommendation left unmatched on both sides, by their place (seq).
-- from_versions / to_versions: lists of plan_version_id (the "before" and "after" plans);
-- date_from / date_to: the dates those states stand for. `change` is one of:
--   new        in the after plan only
--   removed    in the before plan only
--   completed  complete after, not before
--   reopened   complete before, not after
--   slipped    not complete or closed after, and: became off_track, or its target date passed
--              between the dates (date_from <= target < date_to), or its target moved later
--   NULL       nothing that matters changed
-- Also on each row: the recommendation_id, level, seq and recommendation_key of action_id (the after
-- action, else the before one), which the filters and the order of a list need.
CREATE OR REPLACE MACRO action_changes(from_versions, to_versions, date_from, date_to) AS TABLE
WITH before AS (
    SELECT f.action_id, f.case_id, f.recommendation_key AS rec_key, f.action_key, f.seq,
           f.status, f.target_date, f.recommendation_id, f.level
    FROM action_fact f
    WHERE f.plan_version_id IN (SELECT unnest(from_versions))
),
after AS (
    SELECT f.action_id, f.case_id, f.recommendation_key AS rec_key, f.action_key, f.seq,
           f.status, f.target_date, f.recommendation_id, f.level
    FROM action_fact f
    WHERE f.plan_version_id IN (SELECT unnest(to_versions))
),
by_wording AS MATERIALIZED (
    SELECT coalesce(n.case_id, o.case_id) AS case_id, coalesce(n.rec_key, o.rec_key) AS rec_key,
           o.action_id AS b_id, o.seq AS b_seq, o.status AS b_status, o.target_date AS b_target,
           o.recommendation_id AS b_rec, o.level AS b_level,
           n.action_id AS a_id, n.seq AS a_seq, n.status AS a_status, n.target_date AS a_target,
           n.recommendation_id AS a_rec, n.level AS a_level
    FROM before o
    FULL OUTER JOIN after n ON n.case_id = o.case_id AND n.rec_key = o.rec_key AND n.action_key = o.action_key
),
-- Actions of a recommendation unmatched by wording on both sides pair by their place in it (seq).
matched AS (
    SELECT * FROM by_wording WHERE b_id IS NOT NULL AND a_id IS NOT NULL
    UNION ALL
    SELECT coalesce(n.case_id, o.case_id), coalesce(n.rec_key, o.rec_key),
           o.b_id, o.b_seq, o.b_status, o.b_target, o.b_rec, o.b_level,
           n.a_id, n.a_seq, n.a_status, n.a_target, n.a_rec, n.a_level
    FROM (SELECT * FROM by_wording WHERE a_id IS NULL) o
    FULL OUTER JOIN (SELECT * FROM by_wording WHERE b_id IS NULL) n
        ON n.case_id = o.case_id AND n.rec_key = o.rec_key AND n.a_seq = o.b_seq
),
paired AS (
    SELECT case_id, b_id AS before_action_id, a_id AS after_action_id, coalesce(a_id, b_id) AS action_id,
           b_status AS before_status, a_status AS after_status,
           b_target AS before_target_date, a_target AS after_target_date,
           coalesce(a_rec, b_rec) AS recommendation_id,
           CASE WHEN a_id IS NULL THEN b_level ELSE a_level END AS level,
           coalesce(a_seq, b_seq) AS seq, rec_key AS recommendation_key
    FROM matched
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
       recommendation_id, level, seq, recommendation_key
FROM reasons;
