-- Every stored case with its number of plan versions and latest as-of date (command-line `list`).
-- params:
SELECT c.partnership, c.reference, c.year,
       count(DISTINCT pv.plan_version_id) AS versions,
       max(pv.as_of_date) AS latest_as_of,
       c.is_demo AS demo
FROM dhr_case c
LEFT JOIN plan_version pv USING (case_id)
GROUP BY c.partnership, c.reference, c.year, c.is_demo
ORDER BY c.partnership, c.reference
