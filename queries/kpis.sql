-- Headline figures at $as_of for the selection: cases, recommendations, actions, shares complete, overdue, data quality.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- One row. A recommendation is complete when all its selected actions are complete; percentages
-- have one decimal and are NULL when there is nothing to divide by. Overdue: target date before
-- $as_of and status not complete or closed_other; actions without a target date are counted apart.
WITH sel AS (
    SELECT * FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
),
per_case AS (
    SELECT case_id, any_value(is_demo) AS is_demo FROM sel GROUP BY case_id
),
case_figures AS (
    SELECT count(*) AS cases, count(*) FILTER (WHERE is_demo) AS demo_cases FROM per_case
),
-- Recommendations by the flags of selected_action_facts: no grouping by recommendation.
action_figures AS (
    SELECT count(*) AS actions,
           count(*) FILTER (WHERE is_complete) AS actions_complete,
           count(*) FILTER (WHERE first_of_recommendation) AS recommendations,
           count(*) FILTER (WHERE first_of_recommendation AND recommendation_complete) AS recommendations_complete,
           count(*) FILTER (WHERE is_overdue) AS overdue,
           max(days_overdue) AS oldest_overdue_days,
           count(*) FILTER (WHERE no_target_date) AS no_target_date
    FROM sel
),
final AS (
    SELECT c.cases, a.recommendations, a.actions,
           a.actions_complete,
           round(100.0 * a.actions_complete / nullif(a.actions, 0), 1) AS pct_actions_complete,
           a.recommendations_complete,
           round(100.0 * a.recommendations_complete / nullif(a.recommendations, 0), 1) AS pct_recommendations_complete,
           a.overdue, a.oldest_overdue_days, a.no_target_date,
           c.demo_cases,
           round(100.0 * c.demo_cases / nullif(c.cases, 0), 1) AS pct_demo_cases
    FROM action_figures a, case_figures c
)
SELECT * FROM final
