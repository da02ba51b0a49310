-- Why a case carries a theme at $as_of: each matched text (recommendation, action or update) with the words that matched.
-- params: case_id, theme, as_of
-- Either axis ($theme is a topic or Home Office theme id). Update text may name staff (personal data).
-- source: 'rules' (matched = the words a rule matched) or 'model' (matched = the words that weighed most
-- for the theme model, which found the theme where no rule did); NULL for tags stored before it was kept.
WITH plan AS (
    SELECT plan_version_id FROM plan_in_force($as_of) WHERE case_id = $case_id
),
final AS (
    SELECT t.theme, t.axis, t.field, r.number AS recommendation_number, r.sort_key AS recommendation_sort_key,
           a.seq AS action_seq,
           CASE t.field WHEN 'recommendation' THEN r.text WHEN 'update' THEN a.update_text ELSE a.text END AS text,
           t.matched,
           string_split(t.matched, '; ') AS matched_words, t.source,
           t.recommendation_id, t.action_id,
           coalesce(a.src_file, r.src_file) AS src_file, coalesce(a.src_location, r.src_location) AS src_location,
           coalesce(a.src_rows, r.src_rows) AS src_rows
    FROM theme_match t
    JOIN plan p ON p.plan_version_id = t.plan_version_id
    JOIN recommendation r ON r.recommendation_id = t.recommendation_id
    LEFT JOIN action a ON a.action_id = t.action_id
    WHERE t.case_id = $case_id AND t.theme = $theme
)
SELECT * FROM final ORDER BY recommendation_sort_key, action_seq NULLS FIRST, field
