-- synth_figures: inserts $per_doc synthetic figures for each document, over the first 40
-- metrics (1 figure in 10 has none) and 30 years; most figures are about their document's
-- region, some about its province. Deterministic (hashes, not random()).
INSERT INTO figures (figure_id, doc_id, doc, start, "end", text, quote, quote_start, value, unit, qualifier,
                     metric, subject, region_code, region_name, region_level, year, date, period_kind,
                     extractor, run_id)
WITH docs AS (
    SELECT d.doc_id, d.doc, d.present_year, d.main_region_code, r.province_code,
           row_number() OVER (ORDER BY d.doc_id) - 1 AS idx
    FROM documents AS d
    JOIN regions AS r ON r.code = d.main_region_code
),
catalog AS (
    SELECT id, zh, unit, row_number() OVER (ORDER BY id) - 1 AS idx FROM metrics
),
draws AS (
    SELECT i // $per_doc AS doc_idx,
           i % $per_doc AS k,
           (hash(i, 'metric') % 1000000) / 1e6 AS u_metric,
           (hash(i, 'year') % 1000000) / 1e6 AS u_year,
           (hash(i, 'value') % 1000000) / 1e6 AS u_value,
           (hash(i, 'region') % 1000000) / 1e6 AS u_region,
           (hash(i, 'kind') % 1000000) / 1e6 AS u_kind
    FROM range((SELECT count(*) FROM documents) * $per_doc) AS t(i)
),
figs AS (
    SELECT d.doc_id, d.doc, w.k * 150 AS start, w.k * 150 + 8 AS "end",
           round(exp(w.u_value * 12), 1) AS value,
           m.id AS metric, m.zh, coalesce(m.unit, '个') AS unit,
           greatest(1996, d.present_year - CAST(CASE WHEN w.u_year < 0.3 THEN floor(w.u_year * 16) ELSE 0 END AS INTEGER)) AS year,
           CASE WHEN w.u_region < 0.85 THEN d.main_region_code ELSE coalesce(d.province_code, d.main_region_code) END AS region_code,
           w.u_kind
    FROM draws AS w
    JOIN docs AS d ON d.idx = w.doc_idx
    LEFT JOIN catalog AS m
        ON w.u_metric >= 0.1 AND m.idx = CAST(floor(pow(greatest(w.u_metric - 0.1, 0) / 0.9, 1.5) * 40) AS BIGINT)
)
SELECT left(md5(f.doc_id || ':' || f.start || ':' || f."end"), 16), f.doc_id, f.doc, f.start, f."end",
       f.value || f.unit,
       coalesce(f.zh, '新建项目') || '达到' || f.value || f.unit || '，较上年明显增长，群众满意度持续提升',
       f.start - 20, f.value, f.unit, CASE WHEN f.u_kind < 0.2 THEN 'over' ELSE 'exact' END,
       f.metric, f.zh, f.region_code, r.name, r.level, f.year, NULL,
       CASE WHEN f.u_kind < 0.7 THEN 'year' WHEN f.u_kind < 0.9 THEN 'cumulative' ELSE 'target' END,
       'synthetic', 1
FROM figs AS f
JOIN regions AS r ON r.code = f.region_code
