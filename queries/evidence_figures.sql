-- evidence_figures: the figures behind one chart point (its figure_ids from points.sql), each
-- with its quote, the number's place in the quote, and its document's title, source and
-- publication date, in the order of the point rule (the figure the chart shows first). A figure
-- an analyst corrected or added says so (`corrected`), with what was extracted (original_*) and
-- the last correction's id, author and reason.
SELECT
    f.figure_id, f.doc_id, f.doc, f.start, f."end", f.text, f.quote, f.quote_start,
    f.value, f.unit, f.qualifier, f.period_kind, f.year, f.subject, f.metric,
    f.region_code, f.region_level, f.region_name,
    d.title, d.source, d.published,
    f.corrected, f.original_value, f.original_unit, f.original_qualifier, f.original_metric,
    f.original_region_name, f.original_year, f.original_period_kind,
    c.correction_id, c.action AS correction_action, c.author AS correction_author, c.reason AS correction_reason
FROM corrected_figures AS f
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
LEFT JOIN corrections AS c ON c.correction_id = f.correction_ids[len(f.correction_ids)]
WHERE list_contains($figure_ids, f.figure_id)
ORDER BY list_position($figure_ids, f.figure_id)
