-- region_options: the places that have figures of $metric, one row per series: an
-- administrative region at its own level (series = its code), or a place below it such as
-- a village or township (series = code|level|name), with its province and prefecture
-- names for the hierarchical picker, in province → prefecture → county order.
WITH series AS (
    SELECT
        f.region_code,
        f.region_level,
        CASE WHEN f.region_level = r.level THEN f.region_code
             ELSE f.region_code || '|' || f.region_level || '|' || f.region_name END AS series,
        CASE WHEN f.region_level = r.level THEN r.name ELSE f.region_name END AS name,
        coalesce(f.region_level = r.level, false) AS own_level,
        count(*) AS figures
    FROM figures AS f
    LEFT JOIN regions AS r ON r.code = f.region_code
    WHERE f.metric = $metric AND f.region_code IS NOT NULL
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
