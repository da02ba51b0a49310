-- Progress pairs a case's actions across two plan versions by (recommendation_key, action seq). A plan
-- whose recommendations carry no number (the importer warns, and stores them) gave them all the key '',
-- so every action 1 of one version paired with every action 1 of the other: three unnumbered
-- recommendations, two of them completed, listed six "completed" rows. The same happened to a number
-- written twice in one plan (numbering restarting in each agency's table).
-- recommendation_key is now unique within a plan version: the sort key (else the number, else ''), then
-- '#' and which of the version's recommendations with that key it is, in plan order ('#0001' for the
-- first). Recommendations with a key of their own pair as before; those sharing one pair by their order.
CREATE OR REPLACE MACRO pairing_key(sort_key, number, occurrence) AS
    coalesce(sort_key, number, '') || '#' || lpad(CAST(occurrence AS VARCHAR), 4, '0');

CREATE OR REPLACE MACRO action_fact_rows(versions) AS TABLE
SELECT a.action_id, a.plan_version_id, a.case_id, a.recommendation_id, r.level, a.seq, a.status,
       CAST(a.target_date AS DATE) AS target_date, a.target_precision, CAST(a.completion_date AS DATE) AS completion_date,
       a.action_id = min(a.action_id) OVER by_recommendation AS first_of_recommendation,
       bool_and(a.status = 'complete') OVER by_recommendation AS recommendation_complete,
       pairing_key(r.sort_key, r.number,
                   dense_rank() OVER (PARTITION BY a.plan_version_id, coalesce(r.sort_key, r.number, '')
                                      ORDER BY a.recommendation_id)) AS recommendation_key
FROM action a
JOIN recommendation r ON r.recommendation_id = a.recommendation_id
WHERE of_versions(a.plan_version_id, versions)
WINDOW by_recommendation AS (PARTITION BY a.recommendation_id)
ORDER BY a.plan_version_id, a.action_id;

UPDATE action_fact SET recommendation_key = k.recommendation_key
FROM action_fact_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version)) k
WHERE k.action_id = action_fact.action_id;
