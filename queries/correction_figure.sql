-- correction_figure: figure $figure_id as analysts see it now (corrected_figures: corrected, or
-- added by a correction) with its anchor in its document; or, when a correction rejected it,
-- only its id and `rejected_by`, the correction that did. No row: no such figure.
SELECT
    f.figure_id, f.doc_id, f.doc, f.start, f."end", f.text, f.quote, f.quote_start, f.value, f.unit,
    f.qualifier, f.metric, f.region_code, f.year, f.period_kind, NULL::VARCHAR AS rejected_by
FROM corrected_figures AS f
WHERE f.figure_id = $figure_id
UNION ALL BY NAME
SELECT c.figure_id, c.correction_ids[len(c.correction_ids)] AS rejected_by
FROM figure_corrections AS c
WHERE c.figure_id = $figure_id AND c.rejected
