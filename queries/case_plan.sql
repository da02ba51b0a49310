-- One case's plan in force at $as_of, row by row: recommendation, action, agencies, dates, status (raw and normalised), update, themes, provenance.
-- params: case_id, as_of
-- One row per action; a recommendation without actions appears once with NULL action columns.
-- named_lead (staff names) is left out; update_text may still name staff (personal data).
WITH plan AS (
    SELECT plan_version_id, version_date FROM plan_in_force($as_of) WHERE case_id = $case_id
),
recs AS (
    SELECT r.* FROM recommendation r JOIN plan p ON p.plan_version_id = r.plan_version_id
),
acts AS (
    SELECT a.* FROM action a JOIN plan p ON p.plan_version_id = a.plan_version_id
),
-- Agencies and topic themes from the fact tables (migration 003), narrowed to this one plan version.
agencies AS (
    SELECT g.action_id,
           string_agg(CASE WHEN g.agency_known THEN g.agency ELSE g.agency || ' (unknown)' END,
                      '; ' ORDER BY g.agency) AS agencies,
           bool_or(NOT g.agency_known) AS has_unknown_agency
    FROM action_agency_fact g JOIN plan p ON p.plan_version_id = g.plan_version_id
    WHERE g.agency_via IS NOT NULL  -- the action or its recommendation names one
    GROUP BY g.action_id
),
themes AS (
    SELECT t.action_id, list_sort(list_distinct(list(t.theme))) AS themes
    FROM action_theme_fact t JOIN plan p ON p.plan_version_id = t.plan_version_id
    WHERE t.theme IS NOT NULL
    GROUP BY t.action_id
),
final AS (
    SELECT r.plan_version_id, p.version_date,
           r.recommendation_id, r.number_raw, r.number AS recommendation_number, r.sort_key AS recommendation_sort_key,
           r.text AS recommendation_text, r.level, r.scope, r.owning_agencies_raw,
           a.action_id, a.seq AS action_seq, a.text AS action_text,
           a.lead_agency_raw, g.agencies, coalesce(g.has_unknown_agency, false) AS has_unknown_agency,
           a.target_date_raw, CAST(a.target_date AS DATE) AS target_date, a.target_precision,
           a.status_raw, a.status, a.status_word, a.rag,
           a.completion_date_raw, CAST(a.completion_date AS DATE) AS completion_date,
           coalesce(a.target_date < CAST($as_of AS DATE), false)
               AND a.status NOT IN ('complete', 'closed_other') AS is_overdue,
           a.update_text, t.themes,
           r.unplaced_text,
           coalesce(a.src_file, r.src_file) AS src_file,
           coalesce(a.src_location, r.src_location) AS src_location,
           coalesce(a.src_rows, r.src_rows) AS src_rows
    FROM recs r
    CROSS JOIN plan p
    LEFT JOIN acts a ON a.recommendation_id = r.recommendation_id
    LEFT JOIN agencies g ON g.action_id = a.action_id
    LEFT JOIN themes t ON t.action_id = a.action_id
)
SELECT * FROM final ORDER BY recommendation_sort_key, recommendation_id, action_seq
