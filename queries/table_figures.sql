-- table_figures: figures for the table view, newest year first, at most $limit rows: those of
-- metric $metric (empty string: every figure, with or without a metric) between $year_from
-- and $year_to, with metric names and the document's title, source and publication date.
WITH shown AS (
    SELECT *
    FROM figures AS f
    WHERE ($metric = '' OR f.metric = $metric)
      AND (f.year IS NULL OR f.year BETWEEN $year_from AND $year_to)
    ORDER BY f.year DESC NULLS LAST  -- a cheap top-N key; the grid sorts what it shows
    LIMIT $limit
)
SELECT
    f.figure_id, f.year, f.region_name, f.region_code, f.region_level, f.metric,
    m.zh AS metric_zh, f.value, f.unit, f.text, f.qualifier, f.period_kind, f.subject,
    f.quote, d.title, d.source, d.published, f.doc
FROM shown AS f
LEFT JOIN metrics AS m ON m.id = f.metric
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
ORDER BY f.year DESC NULLS LAST, f.region_code, f.doc, f.start
