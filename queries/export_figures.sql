-- export_figures: every figure in the figure record format of ../shared/eval/SCHEMA.md,
-- with its stable id and document id, in document order.
SELECT
    f.doc, f.start, f."end", f.text, f.quote, f.value, f.unit, f.qualifier,
    f.metric, f.subject, f.region_code, f.region_name, f.region_level,
    f.year, f.date, f.period_kind, f.figure_id, f.doc_id
FROM figures AS f
ORDER BY f.doc, f.start
