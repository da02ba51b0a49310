-- Training at $as_of: training-theme actions and their completion, and how much update text shows poor, good or planned uptake.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- One row. Training actions: selected actions carrying the topic theme 'training' (their own text
-- or their recommendation's). Uptake evidence: rows found in the update text of the plans in force
-- (see uptake_evidence_list), counted for the recommendations of the selected actions.
WITH training AS (
    SELECT * FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, ['training'])
),
sel_recs AS (
    SELECT DISTINCT recommendation_id FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
),
evidence AS (
    SELECT u.*
    FROM uptake_evidence u
    JOIN plan_in_force($as_of) p ON p.plan_version_id = u.plan_version_id
    WHERE u.recommendation_id IN (SELECT recommendation_id FROM sel_recs)
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
