-- Training-uptake evidence in the update text of the plans in force at $as_of: polarity, the words, the sentence, and the action it belongs to.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes, limit
-- Polarity: negative ("poor take up", "tailed off"), positive ("85% of staff trained"), planned
-- ("all officers trained by summer 2023"). Negative first. Snippets are update text and may name staff.
-- $limit: the first rows only (NULL = every row); total_rows on every row counts the whole list.
-- The order is worked out on narrow columns first: only the passages up to the $limit-th one's
-- polarity and case (the cutoff; cases in list order, dhr_case.list_order: partnership, then reference)
-- get their texts; ties are broken by action_id.
-- Every passage comes from an action's update text, so with no agency, type, level or theme filter
-- its recommendation has a selected action whenever its case and plan are in force; only with such
-- a filter are the recommendations with selected actions looked up. One branch runs: the other's
-- condition folds to false when the query is planned.
WITH evidence AS (
    SELECT u.rowid AS evidence_row, u.recommendation_id, u.action_id, u.case_id,
           CASE u.polarity WHEN 'negative' THEN 1 WHEN 'planned' THEN 2 ELSE 3 END AS polarity_order,
           c.list_order
    FROM uptake_evidence u
    JOIN cases_in_force($as_of, $partnerships, $year_from, $year_to) c ON c.plan_version_id = u.plan_version_id
),
found AS MATERIALIZED (
    SELECT * FROM evidence
    WHERE len($levels) = 0 AND NOT splits_recommendations($agencies, $agency_types, $themes)
    UNION ALL
    SELECT * FROM evidence
    WHERE (len($levels) > 0 OR splits_recommendations($agencies, $agency_types, $themes))
      AND recommendation_id IN (
          SELECT recommendation_id FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to,
                                                              $agencies, $agency_types, $levels, $themes))
),
cutoff AS (
    SELECT max({'p': polarity_order, 'case': list_order}) AS last_kept
    FROM (SELECT polarity_order, list_order FROM found ORDER BY polarity_order, list_order LIMIT $limit)
),
candidates AS (
    SELECT * FROM found
    WHERE {'p': polarity_order, 'case': list_order} <= (SELECT last_kept FROM cutoff)
),
final AS (
    SELECT u.polarity, u.phrase, u.snippet,
           c.case_id, c.reference, c.partnership, c.year,
           r.number AS recommendation_number, r.sort_key AS recommendation_sort_key, r.text AS recommendation_text,
           a.seq AS action_seq, a.text AS action_text, a.status, CAST(a.target_date AS DATE) AS target_date,
           u.recommendation_id, u.action_id,
           coalesce(a.src_file, r.src_file) AS src_file, coalesce(a.src_location, r.src_location) AS src_location,
           coalesce(a.src_rows, r.src_rows) AS src_rows,
           (SELECT count(*) FROM found) AS total_rows, k.polarity_order, k.list_order, k.evidence_row
    FROM candidates k
    JOIN uptake_evidence u ON u.rowid = k.evidence_row
    JOIN dhr_case c ON c.case_id = k.case_id
    JOIN recommendation r ON r.recommendation_id = k.recommendation_id
    LEFT JOIN action a ON a.action_id = k.action_id
)
SELECT * EXCLUDE (polarity_order, list_order, evidence_row) FROM final
ORDER BY polarity_order, list_order, recommendation_sort_key, action_seq, action_id, evidence_row
LIMIT $limit
