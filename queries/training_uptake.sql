-- Training at $as_of: training-theme actions and their completion, and how much update text shows poor, good or planned uptake.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- One row. Training actions: selected actions carrying the topic theme 'training' (their own text
-- or their recommendation's). Uptake evidence: rows found in the update text of the plans in force
-- (see uptake_evidence_list), counted for the recommendations of the selected actions.
WITH cases AS MATERIALIZED (
    SELECT plan_version_id FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
training AS (
    SELECT f.case_id, f.status = 'complete' AS is_complete, overdue_at(f.target_date, f.status, $as_of) AS is_overdue
    FROM action_theme_fact f
    JOIN cases c ON c.plan_version_id = f.plan_version_id
    WHERE f.theme = 'training'
      AND (len($levels) = 0 OR list_contains($levels, f.level))
      AND action_matches(f.action_id, f.recommendation_id, $agencies, $agency_types, [])
),
-- Recommendations with a selected action, needed only when an action filter is set (the guard folds
-- this away otherwise).
sel_recs AS (
    SELECT DISTINCT f.recommendation_id
    FROM action_fact f
    JOIN cases c ON c.plan_version_id = f.plan_version_id
    WHERE len($agencies) + len($agency_types) + len($levels) + len($themes) > 0
      AND (len($levels) = 0 OR list_contains($levels, f.level))
      AND action_matches(f.action_id, f.recommendation_id, $agencies, $agency_types, $themes)
),
-- Without action filters every recommendation of the selected cases counts: evidence comes from an
-- action's update text, so its recommendation has an action.
evidence AS (
    SELECT u.*
    FROM uptake_evidence u
    JOIN cases c ON c.plan_version_id = u.plan_version_id
    WHERE (len($agencies) + len($agency_types) + len($levels) + len($themes) = 0 AND u.action_id IS NOT NULL)
       OR u.recommendation_id IN (SELECT recommendation_id FROM sel_recs)
),
action_figures AS (
    SELECT count(*) AS training_actions,
           count(*) FILTER (WHERE is_complete) AS training_actions_complete,
           round(100.0 * count(*) FILTER (WHERE is_complete) / nullif(count(*), 0), 1) AS pct_training_actions_complete,
           count(*) FILTER (WHERE is_overdue) AS training_actions_overdue,
           count(DISTINCT case_id) AS cases_with_training_actions
    FROM training
),
evidence_figures AS (
    SELECT count(*) FILTER (WHERE polarity = 'negative') AS evidence_negative,
           count(*) FILTER (WHERE polarity = 'positive') AS evidence_positive,
           count(*) FILTER (WHERE polarity = 'planned') AS evidence_planned,
           count(DISTINCT case_id) FILTER (WHERE polarity = 'negative') AS cases_with_negative_evidence
    FROM evidence
)
SELECT * FROM action_figures, evidence_figures
