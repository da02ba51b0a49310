-- Full-text search at $as_of over recommendation, action and update text of the selected plans: each hit with a snippet, best first.
-- params: q, as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes, fields, limit
-- Every word of $q must appear (case-insensitive, as a substring); the exact phrase scores
-- higher, then the number of occurrences. A recommendation's own text is one hit (action_seq NULL),
-- kept when any of its actions is selected; an action's text and its update text are hits of their
-- own. Update text may name staff. $fields: the fields to look in (recommendation, action, update;
-- empty = all). $limit: the best rows only (NULL = every hit); every row carries total_rows and
-- total_cases, the hits and cases of the whole result.
-- What is read: every distinct text stored (search_text: each text once, lower-cased, however many
-- plan versions repeat it) is scanned for the words and scored; the uses of the texts found
-- (search_text_use, narrow rows over every plan version) are kept when in a plan in force passing the
-- filters, and sorted on narrow columns; only the $limit best get their texts (as written, from
-- search_text), snippets, case and recommendation columns.
WITH found AS MATERIALIZED (
    SELECT text_id, CAST(search_score(text_lower, $q) AS INTEGER) AS score
    FROM search_text
    WHERE lower_text_matches(text_lower, $q)
),
-- The cases in force, with the place in lists (partnership, then reference) hits of equal score are listed in.
cases AS MATERIALIZED (
    SELECT case_id, plan_version_id, list_order AS case_order
    FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
uses AS (
    SELECT u.recommendation_id, u.action_id, u.field, u.rec_order, u.seq, u.text_id, f.score, c.case_id, c.case_order
    FROM search_text_use u
    JOIN found f ON f.text_id = u.text_id
    JOIN cases c ON c.plan_version_id = u.plan_version_id
    WHERE (len($levels) = 0 OR list_contains($levels, u.level))
      AND (len($fields) = 0 OR list_contains($fields, CAST(u.field AS VARCHAR)))
),
-- The agency and theme filters keep an action's hits when the action passes them, and a
-- recommendation's hit when any of its actions does. With no such filter `chosen` is empty and only
-- the first branch of `hits` runs: the conditions fold when the query is planned.
chosen AS MATERIALIZED (
    SELECT f.action_id, f.recommendation_id
    FROM action_fact f
    WHERE splits_recommendations($agencies, $agency_types, $themes)
      AND f.plan_version_id IN (SELECT plan_version_id FROM cases)
      AND action_matches(f.action_id, f.recommendation_id, $agencies, $agency_types, $themes)
),
hits AS MATERIALIZED (
    SELECT * FROM uses WHERE NOT splits_recommendations($agencies, $agency_types, $themes)
    UNION ALL
    SELECT * FROM uses u
    WHERE splits_recommendations($agencies, $agency_types, $themes)
      AND CASE WHEN u.action_id IS NULL THEN u.recommendation_id IN (SELECT recommendation_id FROM chosen)
               ELSE u.action_id IN (SELECT action_id FROM chosen) END
),
totals AS (
    SELECT count(*) AS total_rows, count(DISTINCT case_id) AS total_cases FROM hits
),
-- Ties in the order are broken by recommendation and action id, so a page and its download agree.
best AS (
    SELECT * FROM hits
    ORDER BY score DESC, case_order, rec_order, seq NULLS FIRST, field, recommendation_id, action_id
    LIMIT $limit
),
final AS (
    SELECT h.case_id, c.reference, c.partnership, c.year, h.recommendation_id,
           r.number AS recommendation_number, r.sort_key AS recommendation_sort_key,
           h.action_id, h.seq AS action_seq, CAST(h.field AS VARCHAR) AS field, h.score, s.text,
           r.src_file,  -- a plan version's recommendations and actions come from one file
           t.total_rows, t.total_cases, h.case_order, h.rec_order, h.field AS field_order
    FROM best h
    JOIN search_text s ON s.text_id = h.text_id
    JOIN recommendation r ON r.recommendation_id = h.recommendation_id
    JOIN dhr_case c ON c.case_id = h.case_id
    CROSS JOIN totals t
)
SELECT case_id, reference, partnership, year, recommendation_id, recommendation_number, recommendation_sort_key,
       action_id, action_seq, field, score,
       CASE WHEN length(text) <= 240 THEN text
            ELSE '…' || substr(text, greatest(1, instr(folded_lower(text), search_words($q)[1]) - 80), 240) || '…' END AS snippet,
       text, src_file, total_rows, total_cases
FROM final
ORDER BY score DESC, case_order, rec_order, action_seq NULLS FIRST, field_order, recommendation_id, action_id
