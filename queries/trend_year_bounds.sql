-- trend_year_bounds: one row with the first and last year of any figure (with or without a
-- metric), so the year slider reaches every figure.
SELECT min(year) AS first_year, max(year) AS last_year
FROM corrected_figures
WHERE year IS NOT NULL
