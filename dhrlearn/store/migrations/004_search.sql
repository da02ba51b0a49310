-- Search tables, refreshed with the other fact tables (dhrlearn.store.facts.refresh_facts): a plan's
-- texts mostly repeat from one version of a case to the next, so each distinct text is stored once,
-- with a lower-cased copy, and a search reads each once instead of every copy.

-- Every distinct recommendation, action and update text, as written and lower-cased, with a number
-- of its own (small integers make the join from its uses cheap). Texts are added when a version
-- brings new ones, and a refresh of some versions deletes none: other versions may share them.
CREATE SEQUENCE IF NOT EXISTS seq_search_text;
CREATE TABLE IF NOT EXISTS search_text (
    text_id    INTEGER NOT NULL DEFAULT nextval('seq_search_text'),
    text       VARCHAR NOT NULL,
    text_lower VARCHAR NOT NULL
);

CREATE TYPE search_field AS ENUM ('recommendation', 'action', 'update');

-- Where each text is used: one row per recommendation text (action_id NULL) and per action and
-- update text, with what a search filters and sorts on: level, the recommendation's place in its
-- plan (rec_order: its rank by sort_key in the plan version) and the action's seq. A recommendation
-- without actions has no row: it is never among the selected actions.
CREATE TABLE IF NOT EXISTS search_text_use (
    plan_version_id   INTEGER NOT NULL,
    recommendation_id INTEGER NOT NULL,
    action_id         INTEGER,
    field             search_field NOT NULL,
    level             VARCHAR,
    rec_order         INTEGER NOT NULL,
    seq               INTEGER,
    text_id           INTEGER NOT NULL
);

-- The texts of some plan versions, one row per use; empty texts are left out (they match nothing).
CREATE OR REPLACE MACRO search_texts_of(versions) AS TABLE
WITH recommendations AS (
    SELECT r.plan_version_id, r.recommendation_id, r.level, r.text,
           CAST(rank() OVER (PARTITION BY r.plan_version_id ORDER BY r.sort_key) AS INTEGER) AS rec_order
    FROM recommendation r
    WHERE of_versions(r.plan_version_id, versions)
),
actions AS (
    SELECT a.plan_version_id, a.recommendation_id, a.action_id, r.level, r.rec_order, a.seq, a.text, a.update_text
    FROM action a
    JOIN recommendations r ON r.recommendation_id = a.recommendation_id
    WHERE of_versions(a.plan_version_id, versions)
)
SELECT plan_version_id, recommendation_id, CAST(NULL AS INTEGER) AS action_id,
       CAST('recommendation' AS search_field) AS field, level, rec_order, CAST(NULL AS INTEGER) AS seq, text
FROM recommendations
WHERE text <> '' AND recommendation_id IN (SELECT recommendation_id FROM actions)
UNION ALL
SELECT plan_version_id, recommendation_id, action_id, 'action', level, rec_order, seq, text
FROM actions WHERE text <> ''
UNION ALL
SELECT plan_version_id, recommendation_id, action_id, 'update', level, rec_order, seq, update_text
FROM actions WHERE update_text <> '';

-- The distinct texts of some plan versions with their stored number, NULL for a text not stored yet
-- (refresh_facts adds those, numbered by the sequence).
CREATE OR REPLACE MACRO search_text_rows(versions) AS TABLE
WITH texts AS (
    SELECT DISTINCT text FROM search_texts_of(versions)
)
SELECT s.text_id, t.text, lower(t.text) AS text_lower
FROM texts t LEFT JOIN search_text s ON s.text = t.text
ORDER BY s.text_id;

-- The uses of some plan versions' texts; their texts must be in search_text first.
CREATE OR REPLACE MACRO search_text_use_rows(versions) AS TABLE
SELECT u.plan_version_id, u.recommendation_id, u.action_id, u.field, u.level, u.rec_order, u.seq, s.text_id
FROM search_texts_of(versions) u
LEFT JOIN search_text s ON s.text = u.text
ORDER BY u.plan_version_id, u.recommendation_id, u.action_id NULLS FIRST, u.field;

-- Does a lower-cased text contain every word of q (as substrings)?
CREATE OR REPLACE MACRO lower_text_matches(text_lower, q) AS
    len(search_words(q)) > 0
    AND contains(text_lower, search_words(q)[1])
    AND list_bool_and(list_transform(search_words(q), lambda x: contains(text_lower, x)));

-- How well a lower-cased text matches q: 1000 for the exact phrase, plus the occurrences of each word.
CREATE OR REPLACE MACRO search_score(text_lower, q) AS
    CASE WHEN contains(text_lower, lower(trim(coalesce(q, '')))) THEN 1000 ELSE 0 END
    + list_sum(list_transform(search_words(q),
                              lambda x: (length(text_lower) - length(replace(text_lower, x, ''))) // length(x)));

-- Filled for every stored version, given as one list value (a subquery in its place is planned
-- badly by the joins of search_texts_of).
SET VARIABLE search_versions = (SELECT coalesce(list(plan_version_id), []) FROM plan_version);
INSERT INTO search_text (text, text_lower)
SELECT text, text_lower FROM search_text_rows(getvariable('search_versions')) WHERE text_id IS NULL;
INSERT INTO search_text_use SELECT * FROM search_text_use_rows(getvariable('search_versions'));
RESET VARIABLE search_versions;
