-- Fact tables: what every completion, overdue and theme figure counts, resolved once per plan version
-- when it is stored (dhrlearn.store.facts.refresh_facts) instead of on every query. They hold no text,
-- so a figure over 10,000 cases reads a few narrow columns. Each is keyed by plan_version_id and
-- refreshed together with what it is made from: at import, after a re-tag (themes) and after an agency
-- alias is taught (agencies). Case columns (partnership, year) are not copied: a later plan can fill
-- them in, and dhr_case is small enough to join.

-- One row per action, with its recommendation's level. A recommendation is complete when all its
-- actions are: first_of_recommendation marks one row per recommendation (its lowest action_id) and
-- recommendation_complete says whether all are complete, which saves a grouping by recommendation on
-- every query (see selected_action_facts for when a filter makes them be worked out again).
CREATE TABLE IF NOT EXISTS action_fact (
    action_id         INTEGER NOT NULL,
    plan_version_id   INTEGER NOT NULL,
    case_id           INTEGER NOT NULL,
    recommendation_id INTEGER NOT NULL,
    level             VARCHAR,
    seq               INTEGER NOT NULL,
    status            VARCHAR NOT NULL,
    target_date       DATE,
    target_precision  VARCHAR NOT NULL,
    completion_date   DATE,
    first_of_recommendation BOOLEAN NOT NULL,
    recommendation_complete BOOLEAN NOT NULL
);

-- One row per action and agency responsible for it: its lead links, else its recommendation's owner
-- links; the same agency written twice counts once. `agency` is the canonical name, the name as written
-- when unknown, or '(no agency named)' (agency_via NULL) when neither names one.
-- Figures by agency count a recommendation once per agency, complete when all of that agency's actions
-- in it are: first_of_agency marks one row per recommendation and agency (its lowest action_id) and
-- complete_for_agency says whether they are all complete; first_of_type / complete_for_type the same
-- per agency type. They save a grouping by recommendation on every query. type_row marks one row per
-- action and agency type, so figures by type count an action once per type without a DISTINCT.
CREATE TABLE IF NOT EXISTS action_agency_fact (
    action_id         INTEGER NOT NULL,
    plan_version_id   INTEGER NOT NULL,
    case_id           INTEGER NOT NULL,
    recommendation_id INTEGER NOT NULL,
    level             VARCHAR,
    status            VARCHAR NOT NULL,
    target_date       DATE,
    agency            VARCHAR NOT NULL,
    agency_canonical  VARCHAR,
    agency_known      BOOLEAN NOT NULL,
    agency_type       VARCHAR NOT NULL,
    agency_via        VARCHAR,                   -- lead | owner | NULL
    first_of_agency   BOOLEAN NOT NULL,
    complete_for_agency BOOLEAN NOT NULL,
    first_of_type     BOOLEAN NOT NULL,
    complete_for_type BOOLEAN NOT NULL,
    type_row          BOOLEAN NOT NULL
);

-- One row per action and topic theme it carries: matched in its own text or update, or in its
-- recommendation's text; an action carrying none has one row with theme NULL. first_of_theme / complete_for_theme as first_of_agency / complete_for_agency.
CREATE TABLE IF NOT EXISTS action_theme_fact (
    action_id         INTEGER NOT NULL,
    plan_version_id   INTEGER NOT NULL,
    case_id           INTEGER NOT NULL,
    recommendation_id INTEGER NOT NULL,
    level             VARCHAR,
    status            VARCHAR NOT NULL,
    target_date       DATE,
    theme             VARCHAR,
    first_of_theme    BOOLEAN NOT NULL,
    complete_for_theme BOOLEAN NOT NULL
);

-- One row per plan version and topic theme matched anywhere in it (recommendation, action or update
-- text), with how many of its recommendations matched it.
CREATE TABLE IF NOT EXISTS plan_theme_fact (
    plan_version_id   INTEGER NOT NULL,
    case_id           INTEGER NOT NULL,
    theme             VARCHAR NOT NULL,
    recommendations   INTEGER NOT NULL
);

-- Is a row's plan version one of `versions`? The id range first lets a scan skip the row groups of
-- other versions (an import refreshes a few new versions of a store holding thousands).
CREATE OR REPLACE MACRO of_versions(plan_version_id, versions) AS
    plan_version_id BETWEEN list_min(versions) AND list_max(versions)
    AND plan_version_id IN (SELECT unnest(versions));

-- The rows of each fact table for some plan versions (a list of plan_version_id).
CREATE OR REPLACE MACRO action_fact_rows(versions) AS TABLE
SELECT a.action_id, a.plan_version_id, a.case_id, a.recommendation_id, r.level, a.seq, a.status,
       CAST(a.target_date AS DATE) AS target_date, a.target_precision, CAST(a.completion_date AS DATE) AS completion_date,
       a.action_id = min(a.action_id) OVER by_recommendation AS first_of_recommendation,
       bool_and(a.status = 'complete') OVER by_recommendation AS recommendation_complete
FROM action a
JOIN recommendation r ON r.recommendation_id = a.recommendation_id
WHERE of_versions(a.plan_version_id, versions)
WINDOW by_recommendation AS (PARTITION BY a.recommendation_id)
ORDER BY a.plan_version_id, a.action_id;

CREATE OR REPLACE MACRO action_agency_fact_rows(versions) AS TABLE
WITH acts AS (
    SELECT * FROM action_fact_rows(versions)
),
links AS (
    SELECT * FROM agency_link WHERE of_versions(plan_version_id, versions)
),
lead AS (
    SELECT action_id, agency_raw, agency, agency_type, 'lead' AS via
    FROM links WHERE role = 'lead' AND action_id IS NOT NULL
),
-- Actions without a lead link are found first, so only they are joined to owner links.
owner AS (
    SELECT a.action_id, l.agency_raw, l.agency, l.agency_type, 'owner' AS via
    FROM acts a JOIN links l ON l.recommendation_id = a.recommendation_id
    WHERE l.role = 'owner' AND l.action_id IS NULL
      AND a.action_id NOT IN (SELECT action_id FROM lead)
),
-- A known agency by its canonical name, an unknown one by the name as written.
named AS (
    SELECT action_id, coalesce(agency, agency_raw) AS label, agency IS NOT NULL AS known,
           min(agency_type) AS agency_type, min(via) AS via
    FROM (SELECT * FROM lead UNION ALL SELECT * FROM owner)
    GROUP BY ALL
),
resolved AS (
    SELECT a.action_id, a.plan_version_id, a.case_id, a.recommendation_id, a.level, a.status, a.target_date,
           coalesce(n.label, '(no agency named)') AS agency,
           CASE WHEN n.known THEN n.label END AS agency_canonical,
           coalesce(n.known, false) AS agency_known,
           coalesce(n.agency_type, 'Unknown') AS agency_type,
           n.via AS agency_via
    FROM acts a
    LEFT JOIN named n ON n.action_id = a.action_id
)
SELECT *,
       action_id = min(action_id) OVER by_agency AS first_of_agency,
       bool_and(status = 'complete') OVER by_agency AS complete_for_agency,
       action_id = min(action_id) OVER by_type AS first_of_type,
       bool_and(status = 'complete') OVER by_type AS complete_for_type,
       row_number() OVER (PARTITION BY action_id, agency_type ORDER BY agency, agency_known) = 1 AS type_row
FROM resolved
WINDOW by_agency AS (PARTITION BY recommendation_id, agency, agency_known),
       by_type AS (PARTITION BY recommendation_id, agency_type)
ORDER BY plan_version_id, action_id;

CREATE OR REPLACE MACRO action_theme_fact_rows(versions) AS TABLE
WITH acts AS (
    SELECT * FROM action_fact_rows(versions)
),
topic AS (
    SELECT recommendation_id, action_id, theme FROM theme_match
    WHERE axis = 'topic' AND of_versions(plan_version_id, versions)
),
carried AS (
    SELECT a.action_id, t.theme FROM acts a JOIN topic t ON t.recommendation_id = a.recommendation_id
    WHERE t.action_id IS NULL
    UNION
    SELECT action_id, theme FROM topic WHERE action_id IS NOT NULL
)
SELECT a.action_id, a.plan_version_id, a.case_id, a.recommendation_id, a.level, a.status, a.target_date, c.theme,
       a.action_id = min(a.action_id) OVER by_theme AS first_of_theme,
       bool_and(a.status = 'complete') OVER by_theme AS complete_for_theme
FROM acts a LEFT JOIN carried c ON c.action_id = a.action_id
WINDOW by_theme AS (PARTITION BY a.recommendation_id, c.theme)
ORDER BY a.plan_version_id, a.action_id, c.theme;

CREATE OR REPLACE MACRO plan_theme_fact_rows(versions) AS TABLE
SELECT plan_version_id, case_id, theme, CAST(count(DISTINCT recommendation_id) AS INTEGER) AS recommendations
FROM theme_match
WHERE axis = 'topic' AND of_versions(plan_version_id, versions)
GROUP BY plan_version_id, case_id, theme
ORDER BY plan_version_id, theme;

INSERT INTO action_fact SELECT * FROM action_fact_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version));
INSERT INTO action_agency_fact SELECT * FROM action_agency_fact_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version));
INSERT INTO action_theme_fact SELECT * FROM action_theme_fact_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version));
INSERT INTO plan_theme_fact SELECT * FROM plan_theme_fact_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version));

-- Overdue at as_of: a target date before it, and not complete or closed.
CREATE OR REPLACE MACRO overdue_at(target_date, status, as_of) AS
    coalesce(target_date < CAST(as_of AS DATE), false) AND status NOT IN ('complete', 'closed_other');

CREATE OR REPLACE MACRO days_overdue_at(target_date, status, as_of) AS
    CASE WHEN overdue_at(target_date, status, as_of) THEN datediff('day', target_date, CAST(as_of AS DATE)) END;

-- The analytics building blocks of 002 read from the fact tables from here on (same rows; the flags
-- first_of_* and *_complete added). Those no query needs any more are dropped at the end.

-- The agency and theme filters of one action, as semi-joins on the fact tables: an empty filter
-- folds away when the query is planned. Agency filters match the agencies responsible for the action
-- (action_agency_fact: its lead links, else its recommendation's owner links).
CREATE OR REPLACE MACRO action_matches(action_id, recommendation_id, agencies, agency_types, themes) AS
    (len(agencies) = 0
     OR action_id IN (SELECT g.action_id FROM action_agency_fact g
                      WHERE len(agencies) > 0 AND list_contains(agencies, g.agency_canonical)))
    AND (len(agency_types) = 0
     OR action_id IN (SELECT g.action_id FROM action_agency_fact g
                      WHERE len(agency_types) > 0 AND g.agency_via IS NOT NULL
                        AND list_contains(agency_types, g.agency_type)))
    AND (len(themes) = 0
     OR action_id IN (SELECT t.action_id FROM action_theme_fact t
                      WHERE len(themes) > 0 AND list_contains(themes, t.theme)));

-- Do the agency and theme filters keep only some actions of a recommendation? Then the stored
-- per-recommendation flags no longer describe the selection and are worked out again from it. The
-- partnership, year and level filters keep or drop whole recommendations, so they never do.
CREATE OR REPLACE MACRO splits_recommendations(agencies, agency_types, themes) AS
    len(agencies) > 0 OR len(agency_types) > 0 OR len(themes) > 0;

-- The actions of the plans in force passing every shared filter (the cases first: 10,000 rows, not
-- every action, are joined with dhr_case). A recommendation counts once
-- (first_of_recommendation) and is complete when all its selected actions are (recommendation_complete).
-- Only one of the two branches runs: the other's condition folds to false when the query is planned.
CREATE OR REPLACE MACRO selected_action_facts(as_of, partnerships, year_from, year_to,
                                              agencies, agency_types, levels, themes) AS TABLE
WITH filtered AS (
    SELECT f.action_id, f.recommendation_id, f.plan_version_id, f.case_id,
           c.reference, c.partnership, c.region, c.year, c.is_demo,
           f.level, f.seq, f.target_date, f.target_precision, f.status, f.completion_date,
           f.status = 'complete' AS is_complete,
           f.target_date IS NULL AS no_target_date,
           overdue_at(f.target_date, f.status, as_of) AS is_overdue,
           days_overdue_at(f.target_date, f.status, as_of) AS days_overdue,
           f.first_of_recommendation, f.recommendation_complete
    FROM cases_in_force(as_of, partnerships, year_from, year_to) c
    JOIN action_fact f ON f.plan_version_id = c.plan_version_id
    WHERE (len(levels) = 0 OR list_contains(levels, f.level))
      AND action_matches(f.action_id, f.recommendation_id, agencies, agency_types, themes)
)
SELECT * FROM filtered WHERE NOT splits_recommendations(agencies, agency_types, themes)
UNION ALL
SELECT * REPLACE (action_id = min(action_id) OVER by_recommendation AS first_of_recommendation,
                  bool_and(is_complete) OVER by_recommendation AS recommendation_complete)
FROM filtered WHERE splits_recommendations(agencies, agency_types, themes)
WINDOW by_recommendation AS (PARTITION BY recommendation_id);

-- selected_action_facts narrowed to a subset ('all' | 'overdue' | 'no_target_date'), one row per
-- action and agency: agency, agency_canonical, agency_known, agency_type, agency_via, and the
-- per-recommendation flags by agency (first_of_agency, complete_for_agency) and by agency type
-- (first_of_type, complete_for_type), worked out again as in selected_action_facts when the filters
-- split recommendations, and type_row. Recommendations are counted with the subset 'all' only: with
-- another subset the flags are the stored ones, which describe every action of the plan.
CREATE OR REPLACE MACRO selected_agency_facts(as_of, partnerships, year_from, year_to,
                                              agencies, agency_types, levels, themes, subset) AS TABLE
WITH filtered AS (
    SELECT f.action_id, f.recommendation_id, f.plan_version_id, f.case_id,
           c.reference, c.partnership, c.region, c.year, c.is_demo,
           f.level, f.status, f.target_date,
           f.status = 'complete' AS is_complete,
           f.target_date IS NULL AS no_target_date,
           overdue_at(f.target_date, f.status, as_of) AS is_overdue,
           days_overdue_at(f.target_date, f.status, as_of) AS days_overdue,
           f.agency, f.agency_canonical, f.agency_known, f.agency_type, f.agency_via,
           f.first_of_agency, f.complete_for_agency, f.first_of_type, f.complete_for_type, f.type_row
    FROM cases_in_force(as_of, partnerships, year_from, year_to) c
    JOIN action_agency_fact f ON f.plan_version_id = c.plan_version_id
    WHERE (len(levels) = 0 OR list_contains(levels, f.level))
      AND (subset = 'all' OR (subset = 'overdue' AND overdue_at(f.target_date, f.status, as_of))
           OR (subset = 'no_target_date' AND f.target_date IS NULL))
      AND action_matches(f.action_id, f.recommendation_id, agencies, agency_types, themes)
)
SELECT * FROM filtered WHERE subset <> 'all' OR NOT splits_recommendations(agencies, agency_types, themes)
UNION ALL
SELECT * REPLACE (action_id = min(action_id) OVER by_agency AS first_of_agency,
                  bool_and(is_complete) OVER by_agency AS complete_for_agency,
                  action_id = min(action_id) OVER by_type AS first_of_type,
                  bool_and(is_complete) OVER by_type AS complete_for_type)
FROM filtered WHERE subset = 'all' AND splits_recommendations(agencies, agency_types, themes)
WINDOW by_agency AS (PARTITION BY recommendation_id, agency, agency_known),
       by_type AS (PARTITION BY recommendation_id, agency_type);

-- selected_action_facts with one row per action and topic theme it carries (theme NULL for an action
-- carrying none), with the per-recommendation flags by theme (first_of_theme, complete_for_theme).
CREATE OR REPLACE MACRO selected_theme_facts(as_of, partnerships, year_from, year_to,
                                             agencies, agency_types, levels, themes) AS TABLE
WITH filtered AS (
    SELECT f.action_id, f.recommendation_id, f.plan_version_id, f.case_id,
           c.reference, c.partnership, c.region, c.year, c.is_demo,
           f.level, f.status, f.target_date,
           f.status = 'complete' AS is_complete,
           f.target_date IS NULL AS no_target_date,
           overdue_at(f.target_date, f.status, as_of) AS is_overdue,
           days_overdue_at(f.target_date, f.status, as_of) AS days_overdue,
           f.theme, f.first_of_theme, f.complete_for_theme
    FROM cases_in_force(as_of, partnerships, year_from, year_to) c
    JOIN action_theme_fact f ON f.plan_version_id = c.plan_version_id
    WHERE (len(levels) = 0 OR list_contains(levels, f.level))
      AND action_matches(f.action_id, f.recommendation_id, agencies, agency_types, themes)
)
SELECT * FROM filtered WHERE NOT splits_recommendations(agencies, agency_types, themes)
UNION ALL
SELECT * REPLACE (action_id = min(action_id) OVER by_theme AS first_of_theme,
                  bool_and(is_complete) OVER by_theme AS complete_for_theme)
FROM filtered WHERE splits_recommendations(agencies, agency_types, themes)
WINDOW by_theme AS (PARTITION BY recommendation_id, theme);

-- The completion figures of a group of selected action rows, as a struct for `figures.*`: actions and
-- recommendations complete (a recommendation counted by its first row, complete when the flag says so),
-- overdue actions and the oldest. Percentages have one decimal. Used by every completion_by_* query.
CREATE OR REPLACE MACRO completion_figures(is_complete, first_of_recommendation, recommendation_complete,
                                           is_overdue, days_overdue) AS {
    'actions': count(*),
    'actions_complete': count(*) FILTER (WHERE is_complete),
    'pct_actions_complete': round(100.0 * count(*) FILTER (WHERE is_complete) / count(*), 1),
    'recommendations': count(*) FILTER (WHERE first_of_recommendation),
    'recommendations_complete': count(*) FILTER (WHERE first_of_recommendation AND recommendation_complete),
    'pct_recommendations_complete':
        round(100.0 * count(*) FILTER (WHERE first_of_recommendation AND recommendation_complete)
              / nullif(count(*) FILTER (WHERE first_of_recommendation), 0), 1),
    'overdue': count(*) FILTER (WHERE is_overdue),
    'oldest_overdue_days': max(days_overdue)
};

-- Toxic trio per case in force: its plan matches both substance_misuse and mental_health, or names
-- the toxic trio. A case with no topic theme at all has NULL flags.
CREATE OR REPLACE MACRO trio_cases(as_of, partnerships, year_from, year_to) AS TABLE
WITH cases AS MATERIALIZED (
    SELECT * FROM cases_in_force(as_of, partnerships, year_from, year_to)
),
flags AS (
    SELECT t.plan_version_id,
           bool_or(t.theme = 'substance_misuse') AS has_substance_misuse,
           bool_or(t.theme = 'mental_health') AS has_mental_health,
           bool_or(t.theme = 'toxic_trio') AS names_toxic_trio
    FROM plan_theme_fact t
    WHERE t.plan_version_id IN (SELECT plan_version_id FROM cases)
    GROUP BY t.plan_version_id
)
SELECT c.case_id, c.reference, c.partnership, c.region, c.year, c.plan_version_id,
       f.has_substance_misuse, f.has_mental_health, f.names_toxic_trio,
       coalesce(f.names_toxic_trio OR (f.has_substance_misuse AND f.has_mental_health), false) AS is_trio
FROM cases c
LEFT JOIN flags f ON f.plan_version_id = c.plan_version_id;

-- Building blocks of 002 that the fact tables replace and no query uses any more.
DROP MACRO TABLE IF EXISTS actions_in_force;
DROP MACRO TABLE IF EXISTS selected_actions;
DROP MACRO TABLE IF EXISTS selected_action_agencies;
DROP MACRO TABLE IF EXISTS plan_action_agencies;
DROP MACRO TABLE IF EXISTS action_facts_in_force;
DROP MACRO TABLE IF EXISTS trio_related_facts;
DROP MACRO TABLE IF EXISTS case_themes;
DROP MACRO IF EXISTS text_matches;
