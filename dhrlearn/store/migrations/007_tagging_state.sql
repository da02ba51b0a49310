-- Which theme rules the stored theme matches and uptake evidence were made with: a fingerprint of
-- data/reference/themes.csv and uptake_phrases.csv (dhrlearn.themes.rules_fingerprint), written by the
-- first tagging of a new database and by every re-tag. When the files change (an edit, or a new
-- version of the product), the dashboard says the figures are stale and offers to re-tag. A database
-- tagged before this table existed has no row: its rules are unknown, so it counts as stale too.
CREATE TABLE IF NOT EXISTS tagging_state (
    rules_sha   VARCHAR NOT NULL,
    tagged_at   TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
);
