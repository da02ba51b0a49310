-- Overdue actions at $as_of by agency type: count, count per ageing bucket, the oldest.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action whose agencies are of two types counts once for each type here.
WITH sel AS (
    SELECT * FROM selected_actions($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
    WHERE is_overdue
),
grouped AS (
    SELECT DISTINCT coalesce(g.agency_type, 'Unknown') AS agency_type,
           sel.action_id, sel.days_overdue, sel.target_date
    FROM sel
    LEFT JOIN action_agency g ON g.action_id = sel.action_id
    WHERE len($agency_types) = 0 OR list_contains($agency_types, g.agency_type)
),
final AS (
    SELECT agency_type,
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
SELECT * FROM final ORDER BY overdue DESC, agency_type
