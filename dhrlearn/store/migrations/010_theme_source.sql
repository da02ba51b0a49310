-- Whether each stored theme was found by the rules (its `matched` are the words a rule matched) or only
-- by the theme model (its `matched` are the words that weighed most for it): the Evidence tab says
-- which. Written at tagging (dhrlearn.themes), so it stays true if the rules change before a re-tag.
-- Tags stored before this column have none: the recorded rules fingerprint is cleared, so the
-- dashboard calls them stale and the start script and the Data quality page re-tag, which fills it.
ALTER TABLE theme_match ADD COLUMN source VARCHAR;
DELETE FROM tagging_state;
