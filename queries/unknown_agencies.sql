-- Agency names not recognised in the plans in force at $as_of: each name as written, how often, in which cases and files.
-- params: as_of, partnerships, year_from, year_to
-- Counts agency_link rows (owner and lead) with no canonical agency. Add the name to the agency
-- aliases and re-import (or re-normalise) to resolve it.
WITH cases AS (
    SELECT * FROM cases_in_force($as_of, $partnerships, $year_from, $year_to)
),
links AS (
    SELECT l.*, c.reference
    FROM agency_link l JOIN cases c ON c.plan_version_id = l.plan_version_id
    WHERE NOT l.known OR l.agency IS NULL
),
final AS (
    SELECT agency_raw,
           count(*) AS mentions,
           count(*) FILTER (WHERE role = 'lead') AS as_lead,
           count(*) FILTER (WHERE role = 'owner') AS as_owner,
           count(DISTINCT case_id) AS cases,
           string_agg(DISTINCT reference, '; ') AS case_references
    FROM links
    GROUP BY agency_raw
)
SELECT * FROM final ORDER BY mentions DESC, agency_raw
