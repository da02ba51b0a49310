-- Pairs of stored cases that may be the same review entered twice: same partnership and the same reference once punctuation and "case"/"DHR"/"no" are ignored, or identical recommendation texts.
-- params: (none)
-- Compares each case's latest plan version (at least two recommendations; a text set shared by
-- more than five cases is treated as a template). reason says which rule matched. Plans are
-- compared by the digest of their recommendation texts in plan_text_fact.
WITH keys AS (
    SELECT case_id, reference, partnership, year,
           regexp_replace(regexp_replace(lower(reference), '\b(case|dhr|dardr|review|no|number|ref)\b', '', 'g'),
                          '[^a-z0-9]+', '', 'g') AS ref_key
    FROM dhr_case
),
latest AS (
    SELECT case_id,
           arg_max(plan_version_id, (coalesce(as_of_date, CAST(imported_at AS DATE)), imported_at, plan_version_id)) AS plan_version_id
    FROM plan_version
    GROUP BY case_id
),
plan_keys AS (
    SELECT l.case_id, f.plan_key, f.recommendations
    FROM latest l JOIN plan_text_fact f ON f.plan_version_id = l.plan_version_id
),
same_reference AS (
    SELECT a.case_id AS case_id_a, b.case_id AS case_id_b, 'same partnership and reference' AS reason
    FROM keys a JOIN keys b ON a.partnership = b.partnership AND a.ref_key = b.ref_key AND a.case_id < b.case_id
    WHERE a.ref_key <> ''
),
-- A plan shared by more than five cases is template text, not one review entered twice.
shared_plans AS (
    SELECT * FROM plan_keys
    WHERE recommendations >= 2
      AND plan_key IN (SELECT plan_key FROM plan_keys WHERE recommendations >= 2
                       GROUP BY plan_key HAVING count(*) BETWEEN 2 AND 5)
),
same_plan AS (
    SELECT a.case_id AS case_id_a, b.case_id AS case_id_b, 'identical recommendation texts' AS reason
    FROM shared_plans a JOIN shared_plans b ON a.plan_key = b.plan_key AND a.case_id < b.case_id
),
pairs AS (
    SELECT case_id_a, case_id_b, string_agg(reason, '; ' ORDER BY reason) AS reason
    FROM (SELECT * FROM same_reference UNION ALL SELECT * FROM same_plan)
    GROUP BY case_id_a, case_id_b
),
final AS (
    SELECT p.reason, p.case_id_a, a.reference AS reference_a, a.partnership AS partnership_a, a.year AS year_a,
           p.case_id_b, b.reference AS reference_b, b.partnership AS partnership_b, b.year AS year_b
    FROM pairs p JOIN keys a ON a.case_id = p.case_id_a JOIN keys b ON b.case_id = p.case_id_b
)
SELECT * FROM final ORDER BY partnership_a, reference_a, reference_b
