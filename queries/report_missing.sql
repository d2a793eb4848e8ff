-- report_missing: per document with figures that lack a region or a year: its figures, how many
-- have no region, and how many have no year.
SELECT doc, count(*) AS figures,
       count(*) FILTER (WHERE region_code IS NULL) AS without_region,
       count(*) FILTER (WHERE year IS NULL) AS without_year
FROM corrected_figures
GROUP BY doc
HAVING count(*) FILTER (WHERE region_code IS NULL OR year IS NULL) > 0
ORDER BY doc
