-- build_figure_changes: what build $run_id did to the figures: each new, changed or retracted
-- figure, found by pairing the figures it wrote with those of the documents it replaced or
-- removed (retired_figures) on document, subject, metric, region, year, period and unit, in
-- text order. A pair whose value and qualifier are equal is the same figure, not a change.
WITH before AS (
    SELECT *, row_number() OVER (
        PARTITION BY doc, subject, metric, region_code, year, period_kind, unit ORDER BY start, figure_id) AS nth
    FROM retired_figures
), after AS (
    SELECT *, row_number() OVER (
        PARTITION BY doc, subject, metric, region_code, year, period_kind, unit ORDER BY start, figure_id) AS nth
    FROM figures
    WHERE run_id = $run_id
)
SELECT
    CASE WHEN b.figure_id IS NULL THEN 'new' WHEN a.figure_id IS NULL THEN 'retracted' ELSE 'changed' END AS change,
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
FROM before AS b
FULL OUTER JOIN after AS a
    ON a.doc = b.doc
    AND a.subject IS NOT DISTINCT FROM b.subject
    AND a.metric IS NOT DISTINCT FROM b.metric
    AND a.region_code IS NOT DISTINCT FROM b.region_code
    AND a.year IS NOT DISTINCT FROM b.year
    AND a.period_kind IS NOT DISTINCT FROM b.period_kind
    AND a.unit IS NOT DISTINCT FROM b.unit
    AND a.nth = b.nth
WHERE b.figure_id IS NULL OR a.figure_id IS NULL
    OR a.value IS DISTINCT FROM b.value OR a.qualifier IS DISTINCT FROM b.qualifier
ORDER BY doc, change, figure_id
