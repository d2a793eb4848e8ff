-- evidence_figures: the figures behind one chart point (its figure_ids from points.sql), each
-- with its quote, the number's place in the quote, and its document's title, source and
-- publication date, in the order of the point rule (the figure the chart shows first).
SELECT
    f.figure_id, f.doc_id, f.doc, f.start, f."end", f.text, f.quote, f.quote_start,
    f.value, f.unit, f.qualifier, f.period_kind, f.year, f.subject,
    f.region_code, f.region_level, f.region_name,
    d.title, d.source, d.published
FROM figures AS f
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
WHERE list_contains($figure_ids, f.figure_id)
ORDER BY list_position($figure_ids, f.figure_id)
