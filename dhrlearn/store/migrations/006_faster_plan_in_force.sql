-- Faster building blocks, same meaning as migrations 002-004: the plan in force by one GROUP BY,
-- empty filters that cost nothing, and figures that skip the recommendation table when they need
-- none of its columns (joining every recommendation took most of a query's time at 10,000 cases).

-- Each case's plan version in force at as_of (see 002): one GROUP BY with arg_max instead of a
-- window over every version, several times cheaper. plan_version_id breaks the last tie, as before.
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

-- The agency and theme filters of one action (see 004): true when each filter is empty or matched.
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

-- actions_in_force narrowed by every shared filter (see 004), the filters as action_matches.
CREATE OR REPLACE MACRO selected_actions(as_of, partnerships, year_from, year_to,
                                         agencies, agency_types, levels, themes) AS TABLE
SELECT x.*
FROM actions_in_force(as_of) x
WHERE case_matches(x.partnership, x.year, partnerships, year_from, year_to)
  AND (len(levels) = 0 OR list_contains(levels, x.level))
  AND action_matches(x.action_id, x.recommendation_id, agencies, agency_types, themes);

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
-- action and agency, with the agency columns of selected_action_agencies (see 004): agency,
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

-- selected_action_facts with one row per action and topic theme it carries (see
-- selected_action_themes in 004); actions with no topic theme get theme NULL.
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

-- The topic themes of each case in force (see 003): distinct themes per plan version first, then
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

-- Trio-related actions among the plans in force (see 004), without recommendation columns.
CREATE OR REPLACE MACRO trio_related_facts(as_of) AS TABLE
SELECT x.*
FROM action_facts_in_force(as_of) x
WHERE x.recommendation_id IN (SELECT recommendation_id FROM theme_match
                              WHERE action_id IS NULL AND axis = 'topic'
                                AND theme IN ('substance_misuse', 'mental_health', 'toxic_trio'))
   OR x.action_id IN (SELECT action_id FROM theme_match
                      WHERE action_id IS NOT NULL AND axis = 'topic'
                        AND theme IN ('substance_misuse', 'mental_health', 'toxic_trio'));
