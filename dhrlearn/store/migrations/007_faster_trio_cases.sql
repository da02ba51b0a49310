-- trio_cases (see 003), same result: the three flags come from one GROUP BY over the topic matches
-- of the plans in force, keyed by plan version, instead of grouping every case-and-theme row by
-- the case's text columns. A case with no topic theme at all keeps NULL flags, as before.
CREATE OR REPLACE MACRO trio_cases(as_of, partnerships, year_from, year_to) AS TABLE
WITH cases AS MATERIALIZED (
    SELECT * FROM cases_in_force(as_of, partnerships, year_from, year_to)
),
flags AS (
    SELECT t.plan_version_id, t.case_id,
           bool_or(t.theme = 'substance_misuse') AS has_substance_misuse,
           bool_or(t.theme = 'mental_health') AS has_mental_health,
           bool_or(t.theme = 'toxic_trio') AS names_toxic_trio
    FROM theme_match t
    WHERE t.axis = 'topic' AND t.plan_version_id IN (SELECT plan_version_id FROM cases)
    GROUP BY t.plan_version_id, t.case_id
)
SELECT c.case_id, c.reference, c.partnership, c.region, c.year, c.plan_version_id,
       f.has_substance_misuse, f.has_mental_health, f.names_toxic_trio,
       coalesce(f.names_toxic_trio OR (f.has_substance_misuse AND f.has_mental_health), false) AS is_trio
FROM cases c
LEFT JOIN flags f ON f.plan_version_id = c.plan_version_id AND f.case_id = c.case_id;

