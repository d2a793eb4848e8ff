-- compare_figures: the figures of $metric about administrative regions of level $level at
-- their own level, in year $year (NULL: every year, for "each region's latest"), within
-- province $province (empty string: all provinces), with the document's source and
-- publication date; only the columns a bar needs.
SELECT
    f.doc, f.start, f.value, f.unit, f.qualifier, f.period_kind, f.year,
    f.region_code AS series, r.name AS series_name, r.province_code,
    d.source, d.published
FROM figures AS f
JOIN regions AS r ON r.code = f.region_code AND r.level = f.region_level
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
WHERE f.metric = $metric
  AND f.region_level = $level
  AND f.year IS NOT NULL
  AND ($year IS NULL OR f.year = $year)
  AND ($province = '' OR r.province_code = $province)
