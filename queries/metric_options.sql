-- metric_options: every catalog metric (id, Chinese and English names, unit, category, kind)
-- with the number of figures that carry it, and the number of those (and, approximately, of
-- distinct regions) about a national, provincial, prefectural or county region; ordered by
-- category and id. The counts label the metric picker and choose the opening view.
WITH counts AS (
    SELECT metric, count(*) AS figures,
           count(*) FILTER (WHERE region_level IN ('national', 'province', 'prefecture', 'county')) AS admin_figures,
           approx_count_distinct(region_code)
               FILTER (WHERE region_level IN ('national', 'province', 'prefecture', 'county')) AS admin_regions
    FROM figures
    WHERE metric IS NOT NULL
    GROUP BY metric
)
SELECT m.id, m.zh, m.en, m.unit, m.category, m.kind, coalesce(c.figures, 0) AS figures,
       coalesce(c.admin_figures, 0) AS admin_figures, coalesce(c.admin_regions, 0) AS admin_regions
FROM metrics AS m
LEFT JOIN counts AS c ON c.metric = m.id
ORDER BY m.category, m.id
