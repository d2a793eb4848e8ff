-- metric_info: the catalog entry of metric $metric (Chinese and English names, unit, category, kind).
SELECT id, zh, en, unit, category, kind
FROM metrics
WHERE id = $metric
