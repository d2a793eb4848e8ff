-- compare_years: the years that have figures of $metric, newest first.
SELECT DISTINCT year
FROM corrected_figures
WHERE metric = $metric AND year IS NOT NULL
ORDER BY year DESC
