-- The toxic trio at $as_of: share of cases whose plan involves both substance misuse and mental health (or names the trio), and completion of their trio-related actions.
-- params: as_of, partnerships, year_from, year_to
-- One row. Trio case: its plan in force matches themes substance_misuse and mental_health, or
-- toxic_trio. Trio-related action: an action of a trio case carrying one of those three themes
-- (in its own text or its recommendation's).
WITH cases AS (
    SELECT * FROM trio_cases($as_of, $partnerships, $year_from, $year_to)
),
-- One row per trio-related action of a trio case (an action may carry two of the three themes).
trio_actions AS (
    SELECT t.action_id,
           any_value(t.status = 'complete') AS is_complete,
           any_value(overdue_at(t.target_date, t.status, $as_of)) AS is_overdue
    FROM action_theme_fact t
    JOIN cases c ON c.plan_version_id = t.plan_version_id AND c.is_trio
    WHERE t.theme IN ('substance_misuse', 'mental_health', 'toxic_trio')
    GROUP BY t.action_id
),
case_figures AS (
    SELECT count(*) AS cases,
           count(*) FILTER (WHERE is_trio) AS trio_cases,
           count(*) FILTER (WHERE names_toxic_trio) AS cases_naming_trio,
           count(*) FILTER (WHERE has_substance_misuse) AS cases_substance_misuse,
           count(*) FILTER (WHERE has_mental_health) AS cases_mental_health
    FROM cases
),
action_figures AS (
    SELECT count(*) AS trio_actions,
           count(*) FILTER (WHERE is_complete) AS trio_actions_complete,
           count(*) FILTER (WHERE is_overdue) AS trio_actions_overdue
    FROM trio_actions
),
final AS (
    SELECT c.cases, c.trio_cases, round(100.0 * c.trio_cases / nullif(c.cases, 0), 1) AS pct_trio_cases,
           c.cases_naming_trio, c.cases_substance_misuse, c.cases_mental_health,
           a.trio_actions, a.trio_actions_complete,
           round(100.0 * a.trio_actions_complete / nullif(a.trio_actions, 0), 1) AS pct_trio_actions_complete,
           a.trio_actions_overdue
    FROM case_figures c, action_figures a
)
SELECT * FROM final
