-- An action followed through its case's plan versions. Progress paired the actions of the two plans it
-- compares (by wording, then place) on every query: at 10,000 cases that pairing was the largest part of
-- "since the last meeting". Each version's actions are now paired once, with the version just before
-- it, when the facts are refreshed; the actions so paired share a lineage_id (the action_id of the first
-- of them), and two plans of a case compare by lineage alone, one join on one key.
--
-- Between consecutive versions the pairing is as before (migration 013): by recommendation key and
-- wording, then the actions of a recommendation left over on both sides by their place. Between versions
-- further apart it follows the action through every version in between, one update after another; an
-- action dropped from one version and written again, word for word, in a later one takes up its old
-- lineage again (as a direct pairing of the two plans would have matched it).
ALTER TABLE action_fact ADD COLUMN IF NOT EXISTS lineage_id INTEGER;

-- Each action of every version of the cases holding these versions, with its lineage. Versions are in the
-- order plan_span keeps them (date, import time, plan_version_id). An action follows at most one action of
-- the version before and is followed by at most one (the lowest ids win, should keys ever collide), so a
-- lineage appears at most once in a version.
CREATE OR REPLACE MACRO action_lineage_rows(versions) AS TABLE
WITH RECURSIVE ordered AS (
    SELECT plan_version_id AS version, case_id,
           row_number() OVER (PARTITION BY case_id ORDER BY coalesce(as_of_date, CAST(imported_at AS DATE)),
                              imported_at, plan_version_id) AS place
    FROM plan_version
    WHERE case_id IN (SELECT case_id FROM plan_version WHERE plan_version_id IN (SELECT unnest(versions)))
),
steps AS (
    SELECT version, case_id, place, lag(version) OVER (PARTITION BY case_id ORDER BY place) AS previous
    FROM ordered
),
earlier AS (
    SELECT s.version AS step, f.action_id, f.recommendation_key AS rec_key, f.action_key, f.seq
    FROM steps s JOIN action_fact f ON f.plan_version_id = s.previous
),
later AS (
    SELECT s.version AS step, f.action_id, f.recommendation_key AS rec_key, f.action_key, f.seq
    FROM steps s JOIN action_fact f ON f.plan_version_id = s.version
    WHERE s.previous IS NOT NULL
),
by_wording AS MATERIALIZED (
    SELECT coalesce(n.step, o.step) AS step, coalesce(n.rec_key, o.rec_key) AS rec_key,
           o.action_id AS earlier_id, o.seq AS earlier_seq, n.action_id AS later_id, n.seq AS later_seq
    FROM earlier o
    FULL OUTER JOIN later n ON n.step = o.step AND n.rec_key = o.rec_key AND n.action_key = o.action_key
),
-- (action, the action of the version before that it follows): matched by wording, then the actions of a
-- recommendation unmatched on both sides by their place (seq).
follows_next AS MATERIALIZED (
    SELECT action_id, previous_id FROM (
        SELECT later_id AS action_id, earlier_id AS previous_id
        FROM by_wording WHERE later_id IS NOT NULL AND earlier_id IS NOT NULL
        UNION ALL
        SELECT n.later_id, o.earlier_id
        FROM (SELECT * FROM by_wording WHERE later_id IS NULL) o
        JOIN (SELECT * FROM by_wording WHERE earlier_id IS NULL) n
            ON n.step = o.step AND n.rec_key = o.rec_key AND n.later_seq = o.earlier_seq
    )
    QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY previous_id) = 1
        AND row_number() OVER (PARTITION BY previous_id ORDER BY action_id) = 1
),
-- An action following none in the version before, worded as one whose line ended in an earlier version
-- (followed by none), in the same recommendation, follows the latest such action: written again.
placed AS (
    SELECT f.action_id, s.case_id, s.place, f.recommendation_key AS rec_key, f.action_key
    FROM steps s JOIN action_fact f ON f.plan_version_id = s.version
),
written_again AS (
    SELECT n.action_id, o.action_id AS previous_id
    FROM (SELECT * FROM placed WHERE place > 1 AND action_id NOT IN (SELECT action_id FROM follows_next)) n
    JOIN (SELECT * FROM placed WHERE action_id NOT IN (SELECT previous_id FROM follows_next)) o
        ON o.case_id = n.case_id AND o.rec_key = n.rec_key AND o.action_key = n.action_key AND o.place < n.place
    QUALIFY row_number() OVER (PARTITION BY n.action_id ORDER BY o.place DESC) = 1
        AND row_number() OVER (PARTITION BY o.action_id ORDER BY n.place) = 1
),
follows AS MATERIALIZED (
    SELECT * FROM follows_next UNION ALL SELECT * FROM written_again
),
lineage(action_id, lineage_id) AS (
    SELECT f.action_id, f.action_id
    FROM action_fact f
    WHERE f.plan_version_id IN (SELECT version FROM steps)
      AND f.action_id NOT IN (SELECT action_id FROM follows)
    UNION ALL
    SELECT w.action_id, l.lineage_id
    FROM lineage l JOIN follows w ON w.previous_id = l.action_id
)
SELECT action_id, lineage_id FROM lineage;

UPDATE action_fact SET lineage_id = l.lineage_id
FROM action_lineage_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version)) l
WHERE l.action_id = action_fact.action_id;

-- Actions of two plan states side by side, matched by lineage.
-- from_versions / to_versions: lists of plan_version_id (the "before" and "after" plans, at most one of
-- each per case); date_from / date_to: the dates those states stand for. `change` is one of:
--   new        in the after plan only
--   removed    in the before plan only
--   completed  complete after, not before
--   reopened   complete before, not after
--   slipped    not complete or closed after, and: became off_track, or its target date passed
--              between the dates (date_from <= target < date_to), or its target moved later
--   NULL       nothing that matters changed
-- slip_reasons says why a slipped action slipped. Also on each row: the recommendation_id, level, seq and
-- recommendation_key of action_id (the after action, else the before one), which the filters and the
-- order of a list need. (The reasons are worked out once, as booleans, for both columns: as scalar
-- macros called from each, they cost the Since last meeting query 5-9 ms at 10,000 cases.)
CREATE OR REPLACE MACRO action_changes(from_versions, to_versions, date_from, date_to) AS TABLE
WITH paired AS (
    SELECT coalesce(n.case_id, o.case_id) AS case_id, o.action_id AS before_action_id, n.action_id AS after_action_id,
           coalesce(n.action_id, o.action_id) AS action_id,
           o.status AS before_status, n.status AS after_status,
           o.target_date AS before_target_date, n.target_date AS after_target_date,
           coalesce(n.recommendation_id, o.recommendation_id) AS recommendation_id,
           CASE WHEN n.action_id IS NULL THEN o.level ELSE n.level END AS level,
           coalesce(n.seq, o.seq) AS seq, coalesce(n.recommendation_key, o.recommendation_key) AS recommendation_key
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
       recommendation_id, level, seq, recommendation_key
FROM reasons;
