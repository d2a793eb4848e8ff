-- evidence_document: one document's title, source, publication date and full text, and the
-- span of figure $figure_id in it (its quote's start and end), to show the text at that sentence.
SELECT
    d.doc_id, d.doc, d.title, d.source, d.published, d.text,
    coalesce(f.quote_start, f.start) AS mark_start,
    coalesce(f.quote_start + length(f.quote), f."end") AS mark_end
FROM corrected_figures AS f
JOIN documents AS d ON d.doc_id = f.doc_id
WHERE f.figure_id = $figure_id
