-- subject_figures: the figures of one subject-explorer subject ($subject_key, keyed as in
-- subject_search.sql), or, when $figure_ids is not empty, only those (the figures behind a
-- clicked point), with their sentence and document; newest year first, at most $limit rows,
-- `total` counting them all; a figure an analyst corrected says so, with the value extracted.
SELECT
    f.figure_id, f.year, f.region_name, f.region_code, f.region_level, f.value, f.unit, f.text,
    f.qualifier, f.period_kind, f.subject, f.quote, d.title, d.source, d.published, f.doc, f.corrected,
    f.original_value,
    count(*) OVER () AS total
FROM corrected_figures AS f
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
WHERE f.metric IS NULL
  -- the key split once, not built for every figure (a unit has no ':')
  AND coalesce(f.subject, '') = regexp_extract($subject_key, '^subject:(.*):([^:]*)$', 1)
  AND coalesce(f.unit, '') = regexp_extract($subject_key, '^subject:(.*):([^:]*)$', 2)
  AND (len($figure_ids) = 0 OR list_contains($figure_ids, f.figure_id))
ORDER BY f.year DESC NULLS LAST, f.region_code, f.doc, f.start, f.figure_id
LIMIT $limit
