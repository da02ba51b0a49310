-- Full-text search at $as_of over recommendation, action and update text of the selected plans: each hit with a snippet, best first.
-- params: q, as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- Every word of $q must appear (case-insensitive, as a substring); the exact phrase scores
-- higher, then the number of occurrences. A recommendation's own text is one hit (action_seq NULL);
-- an action's text and its update text are hits of their own. Update text may name staff.
-- Texts are matched first (see text_matches in dhrlearn/store/migrations/002_analytics.sql), then kept when they belong to the
-- selected actions, and only the hits get their case and recommendation columns.
WITH sel AS MATERIALIZED (
    SELECT action_id, recommendation_id, src_file
    FROM selected_actions($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
),
-- A recommendation's text is one document, found once per source file of its selected actions.
rec_hits AS (
    SELECT DISTINCT s.recommendation_id, s.src_file
    FROM sel s
    WHERE s.recommendation_id IN (SELECT recommendation_id FROM recommendation WHERE text_matches(text, $q))
),
action_hits AS (
    SELECT action_id, 'action' AS field, text
    FROM action
    WHERE text IS NOT NULL AND text <> '' AND text_matches(text, $q)
      AND action_id IN (SELECT action_id FROM sel)
    UNION ALL
    SELECT action_id, 'update' AS field, update_text AS text
    FROM action
    WHERE update_text IS NOT NULL AND update_text <> '' AND text_matches(update_text, $q)
      AND action_id IN (SELECT action_id FROM sel)
),
hits AS (
    SELECT c.case_id, c.reference, c.partnership, c.year, r.recommendation_id, r.number, r.sort_key,
           CAST(NULL AS INTEGER) AS action_id, CAST(NULL AS INTEGER) AS seq,
           'recommendation' AS field, r.text, h.src_file
    FROM rec_hits h
    JOIN recommendation r ON r.recommendation_id = h.recommendation_id
    JOIN dhr_case c ON c.case_id = r.case_id
    UNION ALL
    SELECT c.case_id, c.reference, c.partnership, c.year, r.recommendation_id, r.number, r.sort_key,
           a.action_id, a.seq, h.field, h.text, a.src_file
    FROM action_hits h
    JOIN action a ON a.action_id = h.action_id
    JOIN recommendation r ON r.recommendation_id = a.recommendation_id
    JOIN dhr_case c ON c.case_id = a.case_id
),
final AS (
    SELECT case_id, reference, partnership, year, recommendation_id, number AS recommendation_number,
           sort_key AS recommendation_sort_key, action_id, seq AS action_seq, field,
           CASE WHEN contains(lower(text), lower(trim(coalesce($q, '')))) THEN 1000 ELSE 0 END
             + list_sum(list_transform(search_words($q),
                                       lambda x: (length(lower(text)) - length(replace(lower(text), x, ''))) // length(x)))
             AS score,
           CASE WHEN length(text) <= 240 THEN text
                ELSE '…' || substr(text, greatest(1, instr(lower(text), search_words($q)[1]) - 80), 240) || '…' END AS snippet,
           text, src_file
    FROM hits
)
SELECT * FROM final ORDER BY score DESC, partnership, reference, recommendation_sort_key, action_seq NULLS FIRST, field
