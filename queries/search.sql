-- Full-text search at $as_of over recommendation, action and update text of the selected plans: each hit with a snippet, best first.
-- params: q, as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- Every word of $q must appear (case-insensitive, as a substring); the exact phrase scores
-- higher, then the number of occurrences. A recommendation's own text is one hit (action_seq NULL);
-- an action's text and its update text are hits of their own. Update text may name staff.
WITH words AS (
    SELECT list_filter(string_split(lower(trim(coalesce($q, ''))), ' '), lambda w: w <> '') AS words,
           lower(trim(coalesce($q, ''))) AS phrase
),
sel AS (
    SELECT * FROM selected_actions($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
),
-- A recommendation's text is one document, found once per source file of its selected actions.
rec_docs AS (
    SELECT DISTINCT recommendation_id, src_file FROM sel
),
docs AS (
    SELECT c.case_id, c.reference, c.partnership, c.year, r.recommendation_id, r.number, r.sort_key,
           CAST(NULL AS INTEGER) AS action_id, CAST(NULL AS INTEGER) AS seq,
           'recommendation' AS field, r.text, d.src_file
    FROM rec_docs d
    JOIN recommendation r ON r.recommendation_id = d.recommendation_id
    JOIN dhr_case c ON c.case_id = r.case_id
    UNION ALL
    SELECT case_id, reference, partnership, year, recommendation_id, number, sort_key, action_id, seq,
           'action', action_text, src_file
    FROM sel WHERE action_text IS NOT NULL AND action_text <> ''
    UNION ALL
    SELECT case_id, reference, partnership, year, recommendation_id, number, sort_key, action_id, seq,
           'update', update_text, src_file
    FROM sel WHERE update_text IS NOT NULL AND update_text <> ''
),
-- Every word must appear. The first word is checked on its own first: a plain comparison is much
-- cheaper than the per-row list of checks, which then runs only on the texts that passed it.
hits AS (
    SELECT d.*, lower(d.text) AS low, w.words, w.phrase
    FROM docs d, words w
    WHERE len(w.words) > 0
      AND contains(lower(d.text), w.words[1])
      AND list_bool_and(list_transform(w.words, lambda x: contains(lower(d.text), x)))
),
final AS (
    SELECT case_id, reference, partnership, year, recommendation_id, number AS recommendation_number,
           sort_key AS recommendation_sort_key, action_id, seq AS action_seq, field,
           CASE WHEN contains(low, phrase) THEN 1000 ELSE 0 END
             + list_sum(list_transform(words, lambda x: (length(low) - length(replace(low, x, ''))) // length(x)))
             AS score,
           CASE WHEN length(text) <= 240 THEN text
                ELSE '…' || substr(text, greatest(1, instr(low, words[1]) - 80), 240) || '…' END AS snippet,
           text, src_file
    FROM hits
)
SELECT * FROM final ORDER BY score DESC, partnership, reference, recommendation_sort_key, action_seq NULLS FIRST, field
