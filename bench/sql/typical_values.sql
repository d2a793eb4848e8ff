-- typical_values: one row of values a dashboard user would pick, for queries the dashboard
-- does not describe: the metric with the most figures, its four regions with the most
-- figures, the latest year they have, one of their figures and its document, and the last build.
WITH top_metric AS (
    SELECT metric FROM figures WHERE metric IS NOT NULL GROUP BY metric ORDER BY count(*) DESC, metric LIMIT 1
),
top_regions AS (
    SELECT region_code, count(*) AS n FROM figures
    WHERE metric = (SELECT metric FROM top_metric) AND region_code IS NOT NULL
    GROUP BY region_code ORDER BY n DESC, region_code LIMIT 4
)
SELECT
    (SELECT metric FROM top_metric) AS metric,
    (SELECT list(region_code ORDER BY n DESC, region_code) FROM top_regions) AS codes,
    (SELECT max(year) FROM figures WHERE metric = (SELECT metric FROM top_metric)
        AND region_code IN (SELECT region_code FROM top_regions)) AS year,
    (SELECT min(year) FROM figures WHERE metric IS NOT NULL) AS year_from,
    (SELECT max(year) FROM figures WHERE metric IS NOT NULL) AS year_to,
    (SELECT min(figure_id) FROM figures WHERE metric = (SELECT metric FROM top_metric)) AS figure_id,
    (SELECT doc_id FROM figures WHERE figure_id = (SELECT min(figure_id) FROM figures
        WHERE metric = (SELECT metric FROM top_metric))) AS doc_id,
    (SELECT max(run_id) FROM runs) AS run_id
