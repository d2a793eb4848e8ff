-- report_conflicts: metric, place and year given different values by different figures
-- (targets and metrics of kind 'items' left out): the values, how many figures, which documents.
SELECT m.zh AS metric_zh, f.metric, f.region_name, f.region_code, f.year, m.unit,
       list(DISTINCT f.value ORDER BY f.value) AS "values",
       count(*) AS figures,
       string_agg(DISTINCT f.doc, ', ' ORDER BY f.doc) AS docs
FROM figures AS f
JOIN metrics AS m ON m.id = f.metric
WHERE m.kind <> 'items' AND f.period_kind IS DISTINCT FROM 'target'
    AND f.region_code IS NOT NULL AND f.year IS NOT NULL
GROUP BY ALL
HAVING count(DISTINCT f.value) > 1
ORDER BY m.zh, f.region_code, f.year
