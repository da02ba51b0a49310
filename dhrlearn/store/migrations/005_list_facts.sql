-- Derived rows for the list and data-quality queries, kept like the fact tables of 003
-- (dhrlearn.store.facts.refresh_facts, one `<table>_rows(versions)` macro beside each table).

-- One row per recurring group and case: the case's members of the group (recommendations of one plan
-- version), how many are complete (all their actions complete), and its best member (highest
-- similarity to the group's representative, then lowest recommendation_id) with that member's text.
-- recurring_groups then aggregates about one narrow row per case instead of joining recommendations
-- and actions. Groups span cases and are rebuilt after each import batch and at re-tag
-- (dhrlearn.themes.regroup_recurring / retag_all), which refresh this table for every version.
CREATE TABLE IF NOT EXISTS recurring_case_fact (
    group_id                 INTEGER NOT NULL,
    case_id                  INTEGER NOT NULL,
    plan_version_id          INTEGER NOT NULL,
    recommendations          BIGINT NOT NULL,
    recommendations_complete BIGINT NOT NULL,
    similarity               DOUBLE NOT NULL,
    representative_id        INTEGER NOT NULL,
    representative_text      VARCHAR NOT NULL
);

CREATE OR REPLACE MACRO recurring_case_fact_rows(versions) AS TABLE
WITH members AS (
    SELECT m.group_id, m.case_id, r.plan_version_id, m.recommendation_id, m.similarity, r.text
    FROM recurring_member m
    JOIN recommendation r ON r.recommendation_id = m.recommendation_id
    WHERE r.plan_version_id IN (SELECT unnest(versions))
),
done AS (
    SELECT recommendation_id, bool_and(status = 'complete') AS complete
    FROM action
    WHERE plan_version_id IN (SELECT unnest(versions))
      AND recommendation_id IN (SELECT recommendation_id FROM members)
    GROUP BY recommendation_id
)
SELECT m.group_id, m.case_id, m.plan_version_id,
       count(*) AS recommendations,
       count(*) FILTER (WHERE d.complete) AS recommendations_complete,
       max(m.similarity) AS similarity,
       arg_max(m.recommendation_id, (m.similarity, -m.recommendation_id)) AS representative_id,
       arg_max(m.text, (m.similarity, -m.recommendation_id)) AS representative_text
FROM members m
LEFT JOIN done d ON d.recommendation_id = m.recommendation_id
GROUP BY m.group_id, m.case_id, m.plan_version_id
ORDER BY m.plan_version_id, m.group_id;

-- One row per recurring group member, with what recurring_members shows of its recommendation and
-- how many of its actions are complete, stored in group order so that one group's members are read
-- without scanning every recommendation. Rebuilt whole with recurring_case_fact.
CREATE TABLE IF NOT EXISTS recurring_member_fact (
    group_id          INTEGER NOT NULL,
    recommendation_id INTEGER NOT NULL,
    case_id           INTEGER NOT NULL,
    plan_version_id   INTEGER NOT NULL,
    similarity        DOUBLE NOT NULL,
    number            VARCHAR,
    sort_key          VARCHAR,
    text              VARCHAR NOT NULL,
    level             VARCHAR,
    src_file          VARCHAR NOT NULL,
    src_location      VARCHAR,
    src_rows          VARCHAR,
    actions           BIGINT NOT NULL,
    actions_complete  BIGINT NOT NULL
);

CREATE OR REPLACE MACRO recurring_member_fact_rows() AS TABLE
WITH done AS (
    SELECT recommendation_id, count(*) AS actions, count(*) FILTER (WHERE status = 'complete') AS actions_complete
    FROM action_fact
    WHERE recommendation_id IN (SELECT recommendation_id FROM recurring_member)
    GROUP BY recommendation_id
)
SELECT m.group_id, m.recommendation_id, m.case_id, r.plan_version_id, m.similarity,
       r.number, r.sort_key, r.text, r.level, r.src_file, r.src_location, r.src_rows,
       coalesce(d.actions, 0) AS actions, coalesce(d.actions_complete, 0) AS actions_complete
FROM recurring_member m
JOIN recommendation r ON r.recommendation_id = m.recommendation_id
LEFT JOIN done d ON d.recommendation_id = m.recommendation_id
ORDER BY m.group_id, m.recommendation_id;

-- One row per plan version with recommendations: a digest of its recommendation texts (lower case,
-- runs of other characters as one space, in recommendation order) and how many there are, so that
-- possible_duplicate_cases compares digests instead of re-reading every text.
CREATE TABLE IF NOT EXISTS plan_text_fact (
    plan_version_id   INTEGER NOT NULL,
    case_id           INTEGER NOT NULL,
    plan_key          VARCHAR NOT NULL,
    recommendations   BIGINT NOT NULL
);

CREATE OR REPLACE MACRO plan_text_fact_rows(versions) AS TABLE
SELECT plan_version_id, any_value(case_id) AS case_id,
       md5(string_agg(regexp_replace(lower(text), '[^a-z0-9]+', ' ', 'g'), '|' ORDER BY sort_key, text)) AS plan_key,
       count(*) AS recommendations
FROM recommendation
WHERE plan_version_id IN (SELECT unnest(versions))
GROUP BY plan_version_id
ORDER BY plan_version_id;

INSERT INTO recurring_case_fact SELECT * FROM recurring_case_fact_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version));
INSERT INTO plan_text_fact SELECT * FROM plan_text_fact_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version));
INSERT INTO recurring_member_fact SELECT * FROM recurring_member_fact_rows();
