-- trend_year_bounds: one row with the first and last year of any figure that has a metric.
SELECT min(year) AS first_year, max(year) AS last_year
FROM figures
WHERE metric IS NOT NULL AND year IS NOT NULL
