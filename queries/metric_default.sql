-- metric_default: the metric the dashboard opens with (at most one row): the one with the
-- most figures about provinces, then about any national, provincial, prefectural or county
-- region, then the first id. Grouping by metric and level alone keeps it cheap.
WITH levels AS (
    SELECT metric, region_level, count(*) AS figures
    FROM corrected_figures
    WHERE metric IS NOT NULL
    GROUP BY metric, region_level
)
SELECT metric AS id,
       coalesce(sum(figures) FILTER (WHERE region_level = 'province'), 0) AS province_figures,
       coalesce(sum(figures) FILTER (WHERE region_level IN ('national', 'province', 'prefecture', 'county')), 0)
           AS admin_figures
FROM levels
GROUP BY metric
HAVING admin_figures > 0
ORDER BY province_figures DESC, admin_figures DESC, id
LIMIT 1
