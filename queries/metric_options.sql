-- metric_options: every catalog metric (id, Chinese and English names, unit, category, kind)
-- with the number of figures that carry it, party-building (党建) metrics first, then by
-- category and id.
WITH counts AS (
    SELECT metric, count(*) AS figures
    FROM corrected_figures
    WHERE metric IS NOT NULL
    GROUP BY metric
)
SELECT m.id, m.zh, m.en, m.unit, m.category, m.kind, coalesce(c.figures, 0) AS figures
FROM metrics AS m
LEFT JOIN counts AS c ON c.metric = m.id
ORDER BY m.category <> 'party', m.category, m.id
