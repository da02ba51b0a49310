-- Comparing two plan states, themes per case, and tables for the national DHRD reference data.

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
CREATE OR REPLACE MACRO action_changes(from_versions, to_versions, date_from, date_to) AS TABLE
WITH before AS (
    SELECT a.action_id, a.case_id, coalesce(r.sort_key, r.number, '') AS rec_key, a.seq,
           a.status, a.target_date
    FROM action a JOIN recommendation r ON r.recommendation_id = a.recommendation_id
    WHERE list_contains(from_versions, a.plan_version_id)
),
after AS (
    SELECT a.action_id, a.case_id, coalesce(r.sort_key, r.number, '') AS rec_key, a.seq,
           a.status, a.target_date
    FROM action a JOIN recommendation r ON r.recommendation_id = a.recommendation_id
    WHERE list_contains(to_versions, a.plan_version_id)
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
           after_status NOT IN ('complete', 'closed_other') AND after_status = 'off_track'
               AND before_status <> 'off_track' AS became_off_track,
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

-- The topic-axis themes of each case's plan in force at as_of, with the case filters, one row
-- per case and theme; cases with no topic theme still appear once with theme NULL.
CREATE OR REPLACE MACRO case_themes(as_of, partnerships, year_from, year_to) AS TABLE
SELECT DISTINCT c.case_id, c.reference, c.partnership, c.region, c.year, c.plan_version_id, t.theme
FROM cases_in_force(as_of, partnerships, year_from, year_to) c
LEFT JOIN theme_match t ON t.plan_version_id = c.plan_version_id AND t.case_id = c.case_id AND t.axis = 'topic';

-- Toxic trio per case in force: its plan matches both substance_misuse and mental_health, or
-- names the toxic trio (theme toxic_trio).
CREATE OR REPLACE MACRO trio_cases(as_of, partnerships, year_from, year_to) AS TABLE
SELECT case_id, reference, partnership, region, year, plan_version_id,
       bool_or(theme = 'substance_misuse') AS has_substance_misuse,
       bool_or(theme = 'mental_health') AS has_mental_health,
       bool_or(theme = 'toxic_trio') AS names_toxic_trio,
       coalesce(bool_or(theme = 'toxic_trio')
                OR (bool_or(theme = 'substance_misuse') AND bool_or(theme = 'mental_health')), false) AS is_trio
FROM case_themes(as_of, partnerships, year_from, year_to)
GROUP BY case_id, reference, partnership, region, year, plan_version_id;

-- National reference data: The Domestic Homicide Review Dataset (DHRD), Cook & Cook, CC BY 4.0,
-- filled by dhrlearn.analytics.load_dhrd from data/reference/dhrd/.
CREATE TABLE IF NOT EXISTS dhrd_incident (
    incident_id      VARCHAR PRIMARY KEY,
    csp              VARCHAR,
    region           VARCHAR,
    death_date_raw   VARCHAR,                    -- "September 2018"
    death_year       INTEGER
);

-- What a local theme is compared with nationally (data/reference/dhrd/measures.csv).
CREATE TABLE IF NOT EXISTS dhrd_measure (
    measure          VARCHAR PRIMARY KEY,
    label            VARCHAR NOT NULL,
    theme            VARCHAR,                    -- topic theme compared locally; NULL: toxic trio rule
    dhrd_columns     VARCHAR NOT NULL,           -- "file.column; ..." any TRUE = TRUE
    description      VARCHAR NOT NULL
);

-- Each incident's value for each measure: TRUE, FALSE, or NULL when every source cell is unknown.
CREATE TABLE IF NOT EXISTS dhrd_flag (
    incident_id      VARCHAR NOT NULL,
    measure          VARCHAR NOT NULL,
    value            BOOLEAN
);
