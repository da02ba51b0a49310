-- When each plan version is in force: from its date (its as-of date, else the day it was imported)
-- until the date of its case's next version, in the order plan_in_force decides by (date, import
-- time, plan_version_id); until_date NULL for a case's latest version. A version followed by another
-- of the same date has until_date = version_date and is never in force.
-- plan_in_force(as_of), under every query, reads these spans instead of finding each case's latest
-- version with an aggregate over every version (2-5 ms of each query at 10,000 cases).
-- Kept by dhrlearn.store.facts.refresh_facts at import, case by case: a new version ends the span of
-- the one before it.
CREATE TABLE IF NOT EXISTS plan_span (
    case_id         INTEGER NOT NULL,
    plan_version_id INTEGER NOT NULL,
    version_date    DATE NOT NULL,
    until_date      DATE
);

-- The spans of every version of the cases holding any of these versions.
CREATE OR REPLACE MACRO plan_span_rows(versions) AS TABLE
WITH dated AS (
    SELECT case_id, plan_version_id, imported_at, coalesce(as_of_date, CAST(imported_at AS DATE)) AS version_date
    FROM plan_version
    WHERE case_id IN (SELECT case_id FROM plan_version WHERE plan_version_id IN (SELECT unnest(versions)))
)
SELECT case_id, plan_version_id, version_date,
       lead(version_date) OVER (PARTITION BY case_id ORDER BY version_date, imported_at, plan_version_id) AS until_date
FROM dated
ORDER BY case_id, plan_version_id;

INSERT INTO plan_span SELECT * FROM plan_span_rows((SELECT coalesce(list(plan_version_id), []) FROM plan_version));

-- Each case's plan version in force at as_of: its latest version dated on or before as_of (a version
-- without an as-of date counts from the day it was imported); plan_version_id breaks the last tie.
CREATE OR REPLACE MACRO plan_in_force(as_of) AS TABLE
SELECT case_id, plan_version_id, version_date
FROM plan_span
WHERE version_date <= CAST(as_of AS DATE) AND (until_date IS NULL OR until_date > CAST(as_of AS DATE));
