-- Faster building blocks: the agency and theme filters as semi-joins on the base tables (no
-- whole-database view behind them), and agencies / themes computed only for the selected actions.
-- Same meaning as migration 002; the views action_agency and action_theme stay for ad-hoc use.

-- The shared filters on actions. Agency: an action passes when one of its 'lead' links names a
-- listed agency (or type), or it has no lead link and its recommendation's 'owner' link does.
-- Theme: the action, or its recommendation, matched a listed topic theme.
CREATE OR REPLACE MACRO selected_actions(as_of, partnerships, year_from, year_to,
                                         agencies, agency_types, levels, themes) AS TABLE
SELECT x.*
FROM actions_in_force(as_of) x
WHERE case_matches(x.partnership, x.year, partnerships, year_from, year_to)
  AND (len(levels) = 0 OR list_contains(levels, x.level))
  AND (len(agencies) = 0
       OR x.action_id IN (SELECT action_id FROM agency_link WHERE role = 'lead' AND list_contains(agencies, agency))
       OR (x.action_id NOT IN (SELECT action_id FROM agency_link WHERE role = 'lead' AND action_id IS NOT NULL)
           AND x.recommendation_id IN (SELECT recommendation_id FROM agency_link
                                       WHERE role = 'owner' AND action_id IS NULL AND list_contains(agencies, agency))))
  AND (len(agency_types) = 0
       OR x.action_id IN (SELECT action_id FROM agency_link WHERE role = 'lead' AND list_contains(agency_types, coalesce(agency_type, 'Unknown')))
       OR (x.action_id NOT IN (SELECT action_id FROM agency_link WHERE role = 'lead' AND action_id IS NOT NULL)
           AND x.recommendation_id IN (SELECT recommendation_id FROM agency_link
                                       WHERE role = 'owner' AND action_id IS NULL
                                         AND list_contains(agency_types, coalesce(agency_type, 'Unknown')))))
  AND (len(themes) = 0
       OR x.recommendation_id IN (SELECT recommendation_id FROM theme_match
                                  WHERE action_id IS NULL AND axis = 'topic' AND list_contains(themes, theme))
       OR x.action_id IN (SELECT action_id FROM theme_match
                          WHERE action_id IS NOT NULL AND axis = 'topic' AND list_contains(themes, theme)));

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

-- selected_actions with one row per action and topic theme it carries (its own matches and its
-- recommendation's); actions with no topic theme get theme NULL.
CREATE OR REPLACE MACRO selected_action_themes(as_of, partnerships, year_from, year_to,
                                               agencies, agency_types, levels, themes) AS TABLE
WITH sel AS MATERIALIZED (
    SELECT * FROM selected_actions(as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes)
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

-- Is this action (or its recommendation) tagged with one of the toxic-trio themes? As a filter
-- list for the trio queries: the ids of trio-related actions among the plans in force.
CREATE OR REPLACE MACRO trio_related_actions(as_of) AS TABLE
SELECT x.*
FROM actions_in_force(as_of) x
WHERE x.recommendation_id IN (SELECT recommendation_id FROM theme_match
                              WHERE action_id IS NULL AND axis = 'topic'
                                AND theme IN ('substance_misuse', 'mental_health', 'toxic_trio'))
   OR x.action_id IN (SELECT action_id FROM theme_match
                      WHERE action_id IS NOT NULL AND axis = 'topic'
                        AND theme IN ('substance_misuse', 'mental_health', 'toxic_trio'));
