-- Training-uptake evidence in the update text of the plans in force at $as_of: polarity, the words, the sentence, and the action it belongs to.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- Polarity: negative ("poor take up", "tailed off"), positive ("85% of staff trained"), planned
-- ("all officers trained by summer 2023"). Negative first. Snippets are update text and may name staff.
WITH sel_recs AS (
    SELECT DISTINCT recommendation_id FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
),
final AS (
    SELECT u.polarity, u.phrase, u.snippet,
           c.case_id, c.reference, c.partnership, c.year,
           r.number AS recommendation_number, r.sort_key AS recommendation_sort_key, r.text AS recommendation_text,
           a.seq AS action_seq, a.text AS action_text, a.status, CAST(a.target_date AS DATE) AS target_date,
           u.recommendation_id, u.action_id,
           coalesce(a.src_file, r.src_file) AS src_file, coalesce(a.src_location, r.src_location) AS src_location,
           coalesce(a.src_rows, r.src_rows) AS src_rows
    FROM uptake_evidence u
    JOIN plan_in_force($as_of) p ON p.plan_version_id = u.plan_version_id
    JOIN dhr_case c ON c.case_id = u.case_id
    JOIN recommendation r ON r.recommendation_id = u.recommendation_id
    LEFT JOIN action a ON a.action_id = u.action_id
    WHERE u.recommendation_id IN (SELECT recommendation_id FROM sel_recs)
)
SELECT * FROM final
ORDER BY CASE polarity WHEN 'negative' THEN 1 WHEN 'planned' THEN 2 ELSE 3 END,
         partnership, reference, recommendation_sort_key, action_seq
