-- Building blocks for queries/*.sql: which plan version is in force at a date, which
-- agencies an action belongs to, which themes an action carries, and the shared filters.
-- Table macros are inlined into the calling query, so DuckDB optimises them as one plan.

-- Each case's plan version in force at as_of: its latest version dated on or before as_of.
-- A version without an as-of date counts from the day it was imported.
CREATE OR REPLACE MACRO plan_in_force(as_of) AS TABLE
SELECT case_id, plan_version_id, coalesce(as_of_date, CAST(imported_at AS DATE)) AS version_date
FROM plan_version
WHERE coalesce(as_of_date, CAST(imported_at AS DATE)) <= CAST(as_of AS DATE)
QUALIFY row_number() OVER (
    PARTITION BY case_id
    ORDER BY coalesce(as_of_date, CAST(imported_at AS DATE)) DESC, imported_at DESC, plan_version_id DESC
) = 1;

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

-- The agencies an action belongs to: its 'lead' links, else its recommendation's 'owner'
-- links. One row per action and agency (the same agency written twice counts once);
-- `agency` is NULL when the name was not recognised (then `agency_raw` says what was written).
CREATE OR REPLACE VIEW action_agency AS
WITH lead AS (
    SELECT action_id, agency_raw, agency, agency_type, 'lead' AS via
    FROM agency_link
    WHERE role = 'lead' AND action_id IS NOT NULL
),
owner AS (
    SELECT a.action_id, l.agency_raw, l.agency, l.agency_type, 'owner' AS via
    FROM action a
    JOIN agency_link l ON l.recommendation_id = a.recommendation_id
    WHERE l.role = 'owner' AND l.action_id IS NULL
      AND a.action_id NOT IN (SELECT action_id FROM lead)
),
named AS (
    SELECT * FROM lead UNION ALL SELECT * FROM owner
)
SELECT action_id,
       agency,
       CASE WHEN agency IS NULL THEN agency_raw END AS unknown_raw,
       min(agency_raw) AS agency_raw,
       coalesce(agency, min(agency_raw)) AS agency_label,
       agency IS NOT NULL AS agency_known,
       coalesce(min(agency_type), 'Unknown') AS agency_type,
       min(via) AS via
FROM named
GROUP BY action_id, agency, CASE WHEN agency IS NULL THEN agency_raw END;

-- Themes an action carries: those matched in its own text or update, and those matched in
-- its recommendation's text (every action of a recommendation shares the recommendation's themes).
CREATE OR REPLACE VIEW action_theme AS
SELECT a.action_id, a.recommendation_id, a.case_id, t.axis, t.theme
FROM theme_match t
JOIN action a ON a.recommendation_id = t.recommendation_id
WHERE t.action_id IS NULL
UNION
SELECT t.action_id, t.recommendation_id, t.case_id, t.axis, t.theme
FROM theme_match t
WHERE t.action_id IS NOT NULL;

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

-- actions_in_force narrowed by every shared filter (see queries/README.md). An action passes
-- the agency filters when any of its agencies matches, the theme filter when it carries any
-- of the themes (topic axis).
CREATE OR REPLACE MACRO selected_actions(as_of, partnerships, year_from, year_to,
                                         agencies, agency_types, levels, themes) AS TABLE
SELECT x.*
FROM actions_in_force(as_of) x
WHERE case_matches(x.partnership, x.year, partnerships, year_from, year_to)
  AND (len(levels) = 0 OR list_contains(levels, x.level))
  AND (len(agencies) = 0 OR x.action_id IN (
        SELECT action_id FROM action_agency WHERE list_contains(agencies, agency)))
  AND (len(agency_types) = 0 OR x.action_id IN (
        SELECT action_id FROM action_agency WHERE list_contains(agency_types, agency_type)))
  AND (len(themes) = 0 OR x.action_id IN (
        SELECT action_id FROM action_theme WHERE axis = 'topic' AND list_contains(themes, theme)));
