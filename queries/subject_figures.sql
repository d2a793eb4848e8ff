-- subject_figures: the figures of one subject-explorer subject ($subject_key, keyed as in
-- subject_search.sql), or, when $figure_ids is not empty, only those (the figures behind a
-- clicked point), with their sentence and document; newest year first, at most $limit rows,
-- `total` counting them all.
SELECT
    f.figure_id, f.year, f.region_name, f.region_code, f.region_level, f.value, f.unit, f.text,
    f.qualifier, f.period_kind, f.subject, f.quote, d.title, d.source, d.published, f.doc,
    count(*) OVER () AS total
FROM figures AS f
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
WHERE f.metric IS NULL
  AND 'subject:' || coalesce(f.subject, '') || ':' || coalesce(f.unit, '') = $subject_key
  AND (len($figure_ids) = 0 OR list_contains($figure_ids, f.figure_id))
ORDER BY f.year DESC NULLS LAST, f.region_code, f.doc, f.start, f.figure_id
LIMIT $limit
