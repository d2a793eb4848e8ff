-- report_metric_values: the points of the report's trend charts and region tables: per metric,
-- place (code, level and name) and year, the value of its figures that are not targets (the
-- median when several give one), with how many figures and documents give it.
SELECT
    f.metric, m.zh AS metric_zh, m.en AS metric_en, m.unit, m.category,
    f.region_code, f.region_level, f.region_name, f.year,
    median(f.value) AS value,
    count(*) AS figures,
    count(DISTINCT f.doc_id) AS documents
FROM figures AS f
JOIN metrics AS m ON m.id = f.metric
WHERE f.region_code IS NOT NULL AND f.year IS NOT NULL AND f.value IS NOT NULL
    AND f.period_kind IS DISTINCT FROM 'target'
GROUP BY ALL
ORDER BY m.category, f.metric, f.region_code, f.region_level, f.region_name, f.year
