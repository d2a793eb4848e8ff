-- table_figures: one page of the table view ($limit rows from row $offset), newest year
-- first: the figures of metric $metric (empty string: every figure, with or without a
-- metric) between $year_from and $year_to and every one without a year, with metric names
-- and the document's title, source and publication date, and whether an analyst corrected it
-- (with the value extracted). figure_id breaks ties so pages never overlap.
WITH shown AS (
    SELECT *
    FROM corrected_figures AS f
    WHERE ($metric = '' OR f.metric = $metric)
      AND (f.year IS NULL OR f.year BETWEEN $year_from AND $year_to)
    ORDER BY f.year DESC NULLS LAST, f.region_code, f.doc, f.start, f.figure_id
    LIMIT $limit OFFSET $offset
)
SELECT
    f.figure_id, f.year, f.region_name, f.region_code, f.region_level, f.metric,
    m.zh AS metric_zh, f.value, f.unit, f.text, f.qualifier, f.period_kind, f.subject,
    f.quote, d.title, d.source, d.published, f.doc, f.corrected, f.original_value
FROM shown AS f
LEFT JOIN metrics AS m ON m.id = f.metric
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
ORDER BY f.year DESC NULLS LAST, f.region_code, f.doc, f.start, f.figure_id
