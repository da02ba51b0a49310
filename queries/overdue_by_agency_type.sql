-- Overdue actions at $as_of by agency type: count, count per ageing bucket, the oldest.
-- params: as_of, partnerships, year_from, year_to, agencies, agency_types, levels, themes
-- An action whose agencies are of two types counts once for each type here.
WITH grouped AS (  -- an action counts once per type (type_row), however many of its agencies are of it
    SELECT agency_type, action_id, days_overdue, target_date
    FROM selected_agency_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes, 'overdue')
    WHERE type_row AND (len($agency_types) = 0 OR list_contains($agency_types, agency_type))
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
