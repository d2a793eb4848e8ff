-- build_figure_changes: what build $run_id did to the figures: each new, changed or retracted
-- figure, found by pairing the figures it wrote with the retired figures of the documents it
-- replaced or removed (retired_figures): first by figure id (the same span of the same text),
-- then the rest by document, subject, metric, region, year, period and unit, in text order (an
-- edited document has new ids). A pair that reads the same (value, unit, qualifier, metric,
-- region, year, period) is the same figure, not a change.
WITH before AS (
    SELECT * FROM retired_figures
), after AS (
    SELECT * FROM figures WHERE run_id = $run_id
), same_span AS (
    SELECT figure_id AS old_id, figure_id AS new_id FROM before JOIN after USING (figure_id)
), before_rest AS (
    SELECT *, row_number() OVER (
        PARTITION BY doc, subject, metric, region_code, year, period_kind, unit ORDER BY start, figure_id) AS nth
    FROM before WHERE figure_id NOT IN (SELECT old_id FROM same_span)
), after_rest AS (
    SELECT *, row_number() OVER (
        PARTITION BY doc, subject, metric, region_code, year, period_kind, unit ORDER BY start, figure_id) AS nth
    FROM after WHERE figure_id NOT IN (SELECT new_id FROM same_span)
), same_fact AS (
    SELECT b.figure_id AS old_id, a.figure_id AS new_id
    FROM before_rest AS b
    JOIN after_rest AS a
        ON a.doc = b.doc
        AND a.subject IS NOT DISTINCT FROM b.subject
        AND a.metric IS NOT DISTINCT FROM b.metric
        AND a.region_code IS NOT DISTINCT FROM b.region_code
        AND a.year IS NOT DISTINCT FROM b.year
        AND a.period_kind IS NOT DISTINCT FROM b.period_kind
        AND a.unit IS NOT DISTINCT FROM b.unit
        AND a.nth = b.nth
), paired AS (
    SELECT * FROM same_span UNION ALL SELECT * FROM same_fact
), pairs AS (
    SELECT * FROM paired
    UNION ALL SELECT figure_id, NULL FROM before WHERE figure_id NOT IN (SELECT old_id FROM paired)
    UNION ALL SELECT NULL, figure_id FROM after WHERE figure_id NOT IN (SELECT new_id FROM paired)
)
SELECT
    CASE WHEN p.old_id IS NULL THEN 'new' WHEN p.new_id IS NULL THEN 'retracted' ELSE 'changed' END AS change,
    coalesce(a.figure_id, b.figure_id) AS figure_id,
    coalesce(a.doc, b.doc) AS doc,
    coalesce(a.metric, b.metric) AS metric,
    coalesce(a.region_code, b.region_code) AS region_code,
    coalesce(a.region_name, b.region_name) AS region_name,
    coalesce(a.year, b.year) AS year,
    coalesce(a.unit, b.unit) AS unit,
    b.value AS value_before,
    a.value AS value_after,
    coalesce(a.text, b.text) AS text,
    coalesce(a.quote, b.quote) AS quote
FROM pairs AS p
LEFT JOIN before AS b ON b.figure_id = p.old_id
LEFT JOIN after AS a ON a.figure_id = p.new_id
WHERE p.old_id IS NULL OR p.new_id IS NULL
    OR a.value IS DISTINCT FROM b.value OR a.unit IS DISTINCT FROM b.unit
    OR a.qualifier IS DISTINCT FROM b.qualifier OR a.metric IS DISTINCT FROM b.metric
    OR a.region_code IS DISTINCT FROM b.region_code OR a.region_level IS DISTINCT FROM b.region_level
    OR a.year IS DISTINCT FROM b.year OR a.period_kind IS DISTINCT FROM b.period_kind
ORDER BY doc, change, figure_id
