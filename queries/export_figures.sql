-- export_figures: every figure in the figure record format of ../shared/eval/SCHEMA.md,
-- with its stable id and document id, in document order; analysts' corrections applied
-- (rejected figures left out), each corrected or added figure marked `corrected` with what
-- the extractor read (original_*; NULL for an added one) and its corrections' ids.
SELECT
    f.doc, f.start, f."end", f.text, f.quote, f.value, f.unit, f.qualifier,
    f.metric, f.subject, f.region_code, f.region_name, f.region_level,
    f.year, f.date, f.period_kind, f.figure_id, f.doc_id,
    f.corrected, f.original_value, f.original_unit, f.original_qualifier, f.original_metric,
    f.original_region_code, f.original_year, f.original_period_kind, f.correction_ids
FROM corrected_figures AS f
ORDER BY f.doc, f.start
