-- Overdue actions at $as_of by agency: count, count per ageing bucket, the oldest.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action naming two agencies counts once for each agency here, so the rows can add up to
-- more than the overdue total. `agency` is the canonical name, or the name as written when the
-- agency is unknown (agency_known false); actions with no agency at all show "(no agency named)".
WITH grouped AS (
    SELECT agency, agency_canonical, agency_known, agency_type, action_id, days_overdue, target_date
    FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'overdue')
    WHERE (len($agencies) = 0 OR list_contains($agencies, agency_canonical))
      AND (len($agency_types) = 0 OR list_contains($agency_types, agency_type))
),
final AS (
    SELECT agency, agency_canonical, agency_known, agency_type,
           count(*) AS overdue,
           count(*) FILTER (WHERE days_overdue <= 90) AS days_0_90,
           count(*) FILTER (WHERE days_overdue BETWEEN 91 AND 180) AS days_91_180,
           count(*) FILTER (WHERE days_overdue BETWEEN 181 AND 365) AS days_181_365,
           count(*) FILTER (WHERE days_overdue > 365) AS over_a_year,
           max(days_overdue) AS oldest_days,
           CAST(min(target_date) AS DATE) AS oldest_target_date
    FROM grouped
    GROUP BY ALL
)
SELECT * FROM final ORDER BY overdue DESC, oldest_days DESC, agency
