-- trend_figures: every figure of $metric in the chosen series ($series: region codes, or
-- code|level|name for places below county level; $codes: their region codes) between
-- $year_from and $year_to, with its document's source and publication date; a region's own
-- series holds only the figures whose level is the region's own level (a village's figure
-- never joins its county). Only the columns a chart point needs: wide text columns cost
-- most of the scan on a large database.
SELECT
    f.doc_id, f.doc, f.start, f.value, f.unit, f.qualifier, f.period_kind,
    f.year, f.region_code, f.region_level, f.region_name,
    CASE WHEN f.region_level = r.level THEN f.region_code
         ELSE f.region_code || '|' || f.region_level || '|' || f.region_name END AS series,
    CASE WHEN f.region_level = r.level THEN r.name ELSE f.region_name END AS series_name,
    d.source, d.published
FROM figures AS f
LEFT JOIN regions AS r ON r.code = f.region_code
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
WHERE f.metric = $metric
  AND list_contains($codes, f.region_code)
  AND f.year BETWEEN $year_from AND $year_to
  AND list_contains($series, CASE WHEN f.region_level = r.level THEN f.region_code
                                  ELSE f.region_code || '|' || f.region_level || '|' || f.region_name END)
ORDER BY series, f.year, f.doc, f.start
