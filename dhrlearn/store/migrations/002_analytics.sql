-- Analytics building blocks: the plan version in force, the shared filters, agency and theme facts,
-- progress between versions, the toxic trio, search words, and the DHRD reference tables.
-- Named queries in queries/ are built from these table macros (see queries/README.md).

-- Each case's plan version in force at as_of: its latest version dated on or before as_of (a version
-- without an as-of date counts from the day it was imported); plan_version_id breaks the last tie.
-- One GROUP BY with arg_max: several times cheaper than a window over every version.
CREATE OR REPLACE MACRO plan_in_force(as_of) AS TABLE
WITH dated AS (
    SELECT case_id, plan_version_id, imported_at, coalesce(as_of_date, CAST(imported_at AS DATE)) AS version_date
    FROM plan_version
)
SELECT case_id,
       arg_max(plan_version_id, (version_date, imported_at, plan_version_id)) AS plan_version_id,
       max(version_date) AS version_date
FROM dated
WHERE version_date <= CAST(as_of AS DATE)
GROUP BY case_id;

-- Case filters shared by every page: partnerships (empty = all) and a year range
-- (-1 / 9999 = no bound; a case without a year is kept only when there is no bound).
CREATE OR REPLACE MACRO case_matches(partnership, year, partnerships, year_from, year_to) AS
    (len(partnerships) = 0 OR list_contains(partnerships, partnership))
    AND ((coalesce(year_from, -1) <= -1 AND coalesce(year_to, 9999) >= 9999)
         OR year BETWEEN coalesce(year_from, -1) AND coalesce(year_to, 9999));

-- Cases with a plan in force at as_of that pass the case filters.
CREATE OR REPLACE MACRO cases_in_force(as_of, partnerships, year_from, year_to) AS TABLE
SELECT c.case_id, c.reference, c.partnership, c.area, c.region, c.year, c.is_demo,
       p.plan_version_id, p.version_date
FROM plan_in_force(as_of) p
JOIN dhr_case c ON c.case_id = p.case_id
WHERE case_matches(c.partnership, c.year, partnerships, year_from, year_to);

-- Every action of every case's plan in force at as_of, with its case and recommendation,
-- and the derived flags used everywhere: complete, overdue (target before as_of and not
-- complete or closed), days overdue and ageing bucket, no target date.
CREATE OR REPLACE MACRO actions_in_force(as_of) AS TABLE
SELECT a.action_id, a.recommendation_id, a.plan_version_id, a.case_id,
       c.reference, c.partnership, c.region, c.year, c.is_demo,
       r.number, r.sort_key, r.text AS recommendation_text, r.level,
       a.seq, a.text AS action_text, a.lead_agency_raw,
       a.target_date_raw, a.target_date, a.target_precision,
       a.status_raw, a.status, a.status_word, a.completion_date, a.update_text,
       a.src_file, a.src_location, a.src_rows,
       a.status = 'complete' AS is_complete,
       a.target_date IS NULL AS no_target_date,
       coalesce(a.target_date < CAST(as_of AS DATE), false)
           AND a.status NOT IN ('complete', 'closed_other') AS is_overdue,
       CASE WHEN a.target_date < CAST(as_of AS DATE) AND a.status NOT IN ('complete', 'closed_other')
            THEN datediff('day', a.target_date, CAST(as_of AS DATE)) END AS days_overdue
FROM plan_in_force(as_of) p
JOIN action a ON a.plan_version_id = p.plan_version_id
JOIN recommendation r ON r.recommendation_id = a.recommendation_id
JOIN dhr_case c ON c.case_id = a.case_id;

-- Ageing bucket of a number of days overdue.
CREATE OR REPLACE MACRO overdue_bucket(days) AS
    CASE WHEN days IS NULL THEN NULL
         WHEN days <= 90 THEN '0-90 days'
         WHEN days <= 180 THEN '91-180 days'
         WHEN days <= 365 THEN '181-365 days'
         ELSE 'over a year' END;

-- The agency and theme filters of one action: true when each filter is empty or matched.
-- Agency: one of the action's 'lead' links names a listed agency (or type), or it has no lead link
-- and its recommendation's 'owner' link does. Theme: the action, or its recommendation, matched a
-- listed topic theme. Each sub-select repeats its filter's guard so that an empty filter folds to
-- an empty result when the query is planned, instead of scanning agency_link or theme_match.
CREATE OR REPLACE MACRO action_matches(action_id, recommendation_id, agencies, agency_types, themes) AS
    (len(agencies) = 0
     OR action_id IN (SELECT l.action_id FROM agency_link l
                      WHERE len(agencies) > 0 AND l.role = 'lead' AND list_contains(agencies, l.agency))
     OR (recommendation_id IN (SELECT l.recommendation_id FROM agency_link l
                               WHERE len(agencies) > 0 AND l.role = 'owner' AND l.action_id IS NULL
                                 AND list_contains(agencies, l.agency))
         AND action_id NOT IN (SELECT l.action_id FROM agency_link l
                               WHERE len(agencies) > 0 AND l.role = 'lead' AND l.action_id IS NOT NULL)))
    AND (len(agency_types) = 0
     OR action_id IN (SELECT l.action_id FROM agency_link l
                      WHERE len(agency_types) > 0 AND l.role = 'lead'
                        AND list_contains(agency_types, coalesce(l.agency_type, 'Unknown')))
     OR (recommendation_id IN (SELECT l.recommendation_id FROM agency_link l
                               WHERE len(agency_types) > 0 AND l.role = 'owner' AND l.action_id IS NULL
                                 AND list_contains(agency_types, coalesce(l.agency_type, 'Unknown')))
         AND action_id NOT IN (SELECT l.action_id FROM agency_link l
                               WHERE len(agency_types) > 0 AND l.role = 'lead' AND l.action_id IS NOT NULL)))
    AND (len(themes) = 0
     OR recommendation_id IN (SELECT t.recommendation_id FROM theme_match t
                              WHERE len(themes) > 0 AND t.action_id IS NULL AND t.axis = 'topic'
                                AND list_contains(themes, t.theme))
     OR action_id IN (SELECT t.action_id FROM theme_match t
                      WHERE len(themes) > 0 AND t.action_id IS NOT NULL AND t.axis = 'topic'
                        AND list_contains(themes, t.theme)));

-- actions_in_force narrowed by every shared filter, the agency and theme filters as action_matches.
CREATE OR REPLACE MACRO selected_actions(as_of, partnerships, year_from, year_to,
                                         agencies, agency_types, levels, themes) AS TABLE
SELECT x.*
FROM actions_in_force(as_of) x
WHERE case_matches(x.partnership, x.year, partnerships, year_from, year_to)
  AND (len(levels) = 0 OR list_contains(levels, x.level))
  AND action_matches(x.action_id, x.recommendation_id, agencies, agency_types, themes);

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
-- The versions are taken through a semi-join, not list_contains per row (with 10,000 versions in
-- force that was quadratic).
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

-- The topic themes of each case in force: distinct themes per plan version first, then
-- the case columns, rather than DISTINCT over every match joined with its case.
CREATE OR REPLACE MACRO case_themes(as_of, partnerships, year_from, year_to) AS TABLE
WITH cases AS MATERIALIZED (
    SELECT * FROM cases_in_force(as_of, partnerships, year_from, year_to)
),
themes AS (
    SELECT DISTINCT t.plan_version_id, t.case_id, t.theme
    FROM theme_match t
    WHERE t.axis = 'topic' AND t.plan_version_id IN (SELECT plan_version_id FROM cases)
)
SELECT c.case_id, c.reference, c.partnership, c.region, c.year, c.plan_version_id, t.theme
FROM cases c
LEFT JOIN themes t ON t.plan_version_id = c.plan_version_id AND t.case_id = c.case_id;

-- Toxic trio per case in force: its plan matches both substance_misuse and mental_health, or
-- names the toxic trio (theme toxic_trio). The flags come from one GROUP BY over the topic matches
-- of the plans in force, keyed by plan version; a case with no topic theme at all has NULL flags.
CREATE OR REPLACE MACRO trio_cases(as_of, partnerships, year_from, year_to) AS TABLE
WITH cases AS MATERIALIZED (
    SELECT * FROM cases_in_force(as_of, partnerships, year_from, year_to)
),
flags AS (
    SELECT t.plan_version_id, t.case_id,
           bool_or(t.theme = 'substance_misuse') AS has_substance_misuse,
           bool_or(t.theme = 'mental_health') AS has_mental_health,
           bool_or(t.theme = 'toxic_trio') AS names_toxic_trio
    FROM theme_match t
    WHERE t.axis = 'topic' AND t.plan_version_id IN (SELECT plan_version_id FROM cases)
    GROUP BY t.plan_version_id, t.case_id
)
SELECT c.case_id, c.reference, c.partnership, c.region, c.year, c.plan_version_id,
       f.has_substance_misuse, f.has_mental_health, f.names_toxic_trio,
       coalesce(f.names_toxic_trio OR (f.has_substance_misuse AND f.has_mental_health), false) AS is_trio
FROM cases c
LEFT JOIN flags f ON f.plan_version_id = c.plan_version_id AND f.case_id = c.case_id;

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

-- selected_actions narrowed to a subset ('all' | 'overdue' | 'no_target_date'), one row per
-- action and agency (lead links, else the recommendation's owner links; the same agency written
-- twice counts once). Columns added: agency (canonical, or as written when unknown, or
-- '(no agency named)'), agency_canonical (NULL when unknown), agency_known, agency_type, agency_via.
CREATE OR REPLACE MACRO selected_action_agencies(as_of, partnerships, year_from, year_to,
                                                 agencies, agency_types, levels, themes, subset) AS TABLE
WITH sel AS MATERIALIZED (
    SELECT * FROM selected_actions(as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes)
    WHERE subset = 'all' OR (subset = 'overdue' AND is_overdue) OR (subset = 'no_target_date' AND no_target_date)
),
lead AS (
    SELECT l.action_id, l.agency_raw, l.agency, l.agency_type, 'lead' AS via
    FROM agency_link l
    WHERE l.role = 'lead' AND l.action_id IN (SELECT action_id FROM sel)
),
owner AS (
    SELECT s.action_id, l.agency_raw, l.agency, l.agency_type, 'owner' AS via
    FROM sel s
    JOIN agency_link l ON l.recommendation_id = s.recommendation_id
    WHERE l.role = 'owner' AND l.action_id IS NULL
      AND s.action_id NOT IN (SELECT action_id FROM lead)
),
named AS (
    SELECT action_id, agency, CASE WHEN agency IS NULL THEN agency_raw END AS unknown_raw,
           min(agency_raw) AS agency_raw, min(agency_type) AS agency_type, min(via) AS via
    FROM (SELECT * FROM lead UNION ALL SELECT * FROM owner)
    GROUP BY action_id, agency, CASE WHEN agency IS NULL THEN agency_raw END
)
SELECT s.*,
       coalesce(n.agency, n.agency_raw, '(no agency named)') AS agency,
       n.agency AS agency_canonical,
       n.agency IS NOT NULL AS agency_known,
       coalesce(n.agency_type, 'Unknown') AS agency_type,
       n.via AS agency_via
FROM sel s
LEFT JOIN named n ON n.action_id = s.action_id;

-- The agencies of the actions of some plan versions (a list of plan_version_id), one row per
-- action and agency, as in selected_action_agencies: for one case's page.
CREATE OR REPLACE MACRO plan_action_agencies(plan_versions) AS TABLE
WITH acts AS (
    SELECT action_id, recommendation_id FROM action WHERE list_contains(plan_versions, plan_version_id)
),
links AS (
    SELECT * FROM agency_link WHERE list_contains(plan_versions, plan_version_id)
),
lead AS (
    SELECT action_id, agency_raw, agency, agency_type, 'lead' AS via FROM links
    WHERE role = 'lead' AND action_id IS NOT NULL
),
owner AS (
    SELECT a.action_id, l.agency_raw, l.agency, l.agency_type, 'owner' AS via
    FROM acts a JOIN links l ON l.recommendation_id = a.recommendation_id
    WHERE l.role = 'owner' AND l.action_id IS NULL AND a.action_id NOT IN (SELECT action_id FROM lead)
)
SELECT action_id, agency, min(agency_raw) AS agency_raw, coalesce(agency, min(agency_raw)) AS agency_label,
       agency IS NOT NULL AS agency_known, coalesce(min(agency_type), 'Unknown') AS agency_type, min(via) AS via
FROM (SELECT * FROM lead UNION ALL SELECT * FROM owner)
GROUP BY action_id, agency, CASE WHEN agency IS NULL THEN agency_raw END;

-- Every action of the plans in force with its case and the derived flags of actions_in_force, but
-- without its recommendation's or its own text: what counts and shares need.
CREATE OR REPLACE MACRO action_facts_in_force(as_of) AS TABLE
SELECT a.action_id, a.recommendation_id, a.plan_version_id, a.case_id,
       c.reference, c.partnership, c.region, c.year, c.is_demo,
       a.seq, a.target_date, a.target_precision, a.status, a.completion_date,
       a.status = 'complete' AS is_complete,
       a.target_date IS NULL AS no_target_date,
       coalesce(a.target_date < CAST(as_of AS DATE), false)
           AND a.status NOT IN ('complete', 'closed_other') AS is_overdue,
       CASE WHEN a.target_date < CAST(as_of AS DATE) AND a.status NOT IN ('complete', 'closed_other')
            THEN datediff('day', a.target_date, CAST(as_of AS DATE)) END AS days_overdue
FROM plan_in_force(as_of) p
JOIN action a ON a.plan_version_id = p.plan_version_id
JOIN dhr_case c ON c.case_id = a.case_id;

-- selected_actions with the columns of action_facts_in_force: the same rows, the level filter
-- taken from the recommendation only when it is set.
CREATE OR REPLACE MACRO selected_action_facts(as_of, partnerships, year_from, year_to,
                                              agencies, agency_types, levels, themes) AS TABLE
SELECT x.*
FROM action_facts_in_force(as_of) x
WHERE case_matches(x.partnership, x.year, partnerships, year_from, year_to)
  AND (len(levels) = 0
       OR x.recommendation_id IN (SELECT r.recommendation_id FROM recommendation r
                                  WHERE len(levels) > 0 AND list_contains(levels, r.level)))
  AND action_matches(x.action_id, x.recommendation_id, agencies, agency_types, themes);

-- selected_action_facts narrowed to a subset ('all' | 'overdue' | 'no_target_date'), one row per
-- action and agency, with the agency columns of selected_action_agencies: agency,
-- agency_canonical, agency_known, agency_type, agency_via.
CREATE OR REPLACE MACRO selected_agency_facts(as_of, partnerships, year_from, year_to,
                                              agencies, agency_types, levels, themes, subset) AS TABLE
WITH sel AS MATERIALIZED (
    SELECT * FROM selected_action_facts(as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes)
    WHERE subset = 'all' OR (subset = 'overdue' AND is_overdue) OR (subset = 'no_target_date' AND no_target_date)
),
lead AS (
    SELECT l.action_id, l.agency_raw, l.agency, l.agency_type, 'lead' AS via
    FROM agency_link l
    WHERE l.role = 'lead' AND l.action_id IN (SELECT action_id FROM sel)
),
-- Actions without a lead link are found first, so only they are joined to owner links.
unled AS (
    SELECT s.action_id, s.recommendation_id FROM sel s
    WHERE s.action_id NOT IN (SELECT action_id FROM lead)
),
owner AS (
    SELECT u.action_id, l.agency_raw, l.agency, l.agency_type, 'owner' AS via
    FROM unled u
    JOIN agency_link l ON l.recommendation_id = u.recommendation_id
    WHERE l.role = 'owner' AND l.action_id IS NULL
),
-- One row per action and agency: a known agency by its canonical name, an unknown one by the
-- name as written (the grouping of 004, keyed by the label and whether it is known).
named AS (
    SELECT action_id, coalesce(agency, agency_raw) AS label, agency IS NOT NULL AS known,
           min(agency_type) AS agency_type, min(via) AS via
    FROM (SELECT * FROM lead UNION ALL SELECT * FROM owner)
    GROUP BY ALL
)
SELECT s.*,
       coalesce(n.label, '(no agency named)') AS agency,
       CASE WHEN n.known THEN n.label END AS agency_canonical,
       coalesce(n.known, false) AS agency_known,
       coalesce(n.agency_type, 'Unknown') AS agency_type,
       n.via AS agency_via
FROM sel s
LEFT JOIN named n ON n.action_id = s.action_id;

-- selected_action_facts with one row per action and topic theme it carries (its own text's and its
-- recommendation's); actions with no topic theme get theme NULL.
CREATE OR REPLACE MACRO selected_theme_facts(as_of, partnerships, year_from, year_to,
                                             agencies, agency_types, levels, themes) AS TABLE
WITH sel AS MATERIALIZED (
    SELECT * FROM selected_action_facts(as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes)
),
tagged AS (
    SELECT s.action_id, t.theme
    FROM sel s JOIN theme_match t ON t.recommendation_id = s.recommendation_id
    WHERE t.action_id IS NULL AND t.axis = 'topic'
    UNION
    SELECT t.action_id, t.theme
    FROM theme_match t
    WHERE t.action_id IN (SELECT action_id FROM sel) AND t.axis = 'topic'
)
SELECT s.*, t.theme
FROM sel s
LEFT JOIN tagged t ON t.action_id = s.action_id;

-- Trio-related actions among the plans in force, without recommendation columns.
CREATE OR REPLACE MACRO trio_related_facts(as_of) AS TABLE
SELECT x.*
FROM action_facts_in_force(as_of) x
WHERE x.recommendation_id IN (SELECT recommendation_id FROM theme_match
                              WHERE action_id IS NULL AND axis = 'topic'
                                AND theme IN ('substance_misuse', 'mental_health', 'toxic_trio'))
   OR x.action_id IN (SELECT action_id FROM theme_match
                      WHERE action_id IS NOT NULL AND axis = 'topic'
                        AND theme IN ('substance_misuse', 'mental_health', 'toxic_trio'));

-- The words of a search, lower case, empty words dropped.
CREATE OR REPLACE MACRO search_words(q) AS
    list_filter(string_split(lower(trim(coalesce(q, ''))), ' '), lambda w: w <> '');

-- Does text contain every word of q (case-insensitive, as substrings)? The first word is checked on
-- its own first: a plain comparison, much cheaper than the per-row list of checks after it.
CREATE OR REPLACE MACRO text_matches(text, q) AS
    len(search_words(q)) > 0
    AND contains(lower(text), search_words(q)[1])
    AND list_bool_and(list_transform(search_words(q), lambda x: contains(lower(text), x)));
