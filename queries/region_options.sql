-- region_options: the places that have figures of $metric, one row per series: an
-- administrative region at its own level (series = its code), or a place below it such as
-- a village or township (series = code|level|name), with its province and prefecture
-- names for the hierarchical picker, in province → prefecture → county order.
WITH places AS (
    SELECT region_code, region_level, region_name, count(*) AS figures
    FROM corrected_figures
    WHERE metric = $metric AND region_code IS NOT NULL
    GROUP BY ALL
),
series AS (
    SELECT
        p.region_code,
        p.region_level,
        CASE WHEN p.region_level = r.level THEN p.region_code
             ELSE p.region_code || '|' || p.region_level || '|' || p.region_name END AS series,
        CASE WHEN p.region_level = r.level THEN r.name ELSE p.region_name END AS name,
        coalesce(p.region_level = r.level, false) AS own_level,
        sum(p.figures) AS figures
    FROM places AS p
    LEFT JOIN regions AS r ON r.code = p.region_code
    GROUP BY ALL
)
SELECT
    s.series, s.region_code, s.region_level, s.name, s.own_level, s.figures,
    r.name AS region_name, r.level AS admin_level,
    p.name AS province_name, pf.name AS prefecture_name
FROM series AS s
LEFT JOIN regions AS r ON r.code = s.region_code
LEFT JOIN regions AS p ON p.code = r.province_code
LEFT JOIN regions AS pf ON pf.code = r.prefecture_code
ORDER BY coalesce(r.province_code, ''), coalesce(r.prefecture_code, ''), s.region_code, NOT s.own_level, s.name
