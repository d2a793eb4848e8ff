-- evidence_figures: the figures behind one point of a chart (metric $metric, series $series
-- as in trend_figures, region code $region_code, year $year), each with its quote, the
-- number's place in the quote, and its document's title, source and publication date; newest
-- publication first. The matching ids are found first from narrow columns, then the wide
-- ones (quote, text) are read only for those rows through the primary key.
WITH hits AS (
    SELECT f.figure_id
    FROM figures AS f
    LEFT JOIN regions AS r ON r.code = f.region_code
    WHERE f.metric = $metric
      AND f.region_code = $region_code
      AND f.year = $year
      AND (CASE WHEN f.region_level = r.level THEN f.region_code
                ELSE f.region_code || '|' || f.region_level || '|' || f.region_name END) = $series
)
SELECT
    f.figure_id, f.doc_id, f.doc, f.start, f."end", f.text, f.quote, f.quote_start,
    f.value, f.unit, f.qualifier, f.period_kind, f.year, f.subject,
    f.region_code, f.region_level, f.region_name,
    d.title, d.source, d.published
FROM figures AS f
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
WHERE f.figure_id IN (SELECT figure_id FROM hits)
ORDER BY d.published DESC NULLS LAST, f.doc, f.start
