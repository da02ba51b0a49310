-- Search helpers for queries/search.sql. Written on the bound $q directly (not through a joined
-- one-row table of words) so the words are worked out once when the query is planned and every
-- text is compared with constants.

-- The words of a search, lower case, empty words dropped.
CREATE OR REPLACE MACRO search_words(q) AS
    list_filter(string_split(lower(trim(coalesce(q, ''))), ' '), lambda w: w <> '');

-- Does text contain every word of q (case-insensitive, as substrings)? The first word is checked on
-- its own first: a plain comparison, much cheaper than the per-row list of checks after it.
CREATE OR REPLACE MACRO text_matches(text, q) AS
    len(search_words(q)) > 0
    AND contains(lower(text), search_words(q)[1])
    AND list_bool_and(list_transform(search_words(q), lambda x: contains(lower(text), x)));
