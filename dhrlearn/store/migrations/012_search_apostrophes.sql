-- Search reads typographic apostrophes as plain ones: a Word document's "Clare’s Law" is found by
-- "Clare's Law" as typed, and the other way round (dhrlearn.normalise.text does the same for the theme
-- rules). One character for one, so a word's place in the folded text is its place in the text.
CREATE OR REPLACE MACRO folded_lower(text) AS lower(translate(text, '’‘ʼ′', ''''''''));

CREATE OR REPLACE MACRO search_words(q) AS
    list_filter(string_split(folded_lower(trim(coalesce(q, ''))), ' '), lambda w: w <> '');

CREATE OR REPLACE MACRO search_score(text_lower, q) AS
    CASE WHEN contains(text_lower, folded_lower(trim(coalesce(q, '')))) THEN 1000 ELSE 0 END
    + list_sum(list_transform(search_words(q),
                              lambda x: (length(text_lower) - length(replace(text_lower, x, ''))) // length(x)));

CREATE OR REPLACE MACRO search_text_rows(versions) AS TABLE
WITH texts AS (
    SELECT DISTINCT text FROM search_texts_of(versions)
)
SELECT s.text_id, t.text, folded_lower(t.text) AS text_lower
FROM texts t LEFT JOIN search_text s ON s.text = t.text
ORDER BY s.text_id;

UPDATE search_text SET text_lower = folded_lower(text) WHERE text_lower <> folded_lower(text);
