-- review_queue: up to $limit figures of catalog metric $metric ('' = every metric), those most likely
-- to be wrong first, so that an analyst's hour goes where it matters. Each has a score and its reasons: it is behind a
-- chart point whose figures disagree ($conflict_ids: the figure_ids of points.sql's conflicts) (3);
-- it is a target or a cumulative within 2% of the same place's value of that year, so perhaps that
-- year's value read as a plan or a sum (2); its value is over ten times off the median of its
-- metric's figures in its unit at its region level, five or more of them (2: a misread multiplier
-- or unit, or another metric's figure); its subject shares no two characters with the metric's
-- name, so the metric came from the context (1). Figures an analyst corrected or confirmed are
-- left out. Highest score first, then by metric, region and year.
WITH candidates AS (
    SELECT f.*, m.zh AS metric_zh
    FROM corrected_figures AS f
    JOIN metrics AS m ON m.id = f.metric
    WHERE ($metric = '' OR f.metric = $metric) AND NOT f.corrected
      AND f.figure_id NOT IN (SELECT applies_to FROM corrections WHERE status = 'applied' AND applies_to IS NOT NULL)
), conflicting AS (
    SELECT DISTINCT unnest($conflict_ids) AS figure_id
), typical AS (
    SELECT metric, region_level, unit, median(value) AS median_value, count(*) AS figures
    FROM candidates
    WHERE value > 0
    GROUP BY ALL
), yearly AS (
    SELECT metric, region_code, region_level, region_name, year, value
    FROM candidates
    WHERE period_kind IN ('stock', 'flow')
), near_year_value AS (
    SELECT DISTINCT c.figure_id
    FROM candidates AS c
    JOIN yearly AS y
        ON y.metric = c.metric AND y.region_code = c.region_code AND y.region_level = c.region_level
        AND y.region_name IS NOT DISTINCT FROM c.region_name AND y.year = c.year
    WHERE c.period_kind IN ('target', 'cumulative') AND abs(y.value - c.value) <= 0.02 * abs(c.value)
), scored AS (
    SELECT
        c.*,
        c.figure_id IN (SELECT figure_id FROM conflicting) AS conflict,
        c.figure_id IN (SELECT figure_id FROM near_year_value) AS near_year_value,
        coalesce(t.figures >= 5 AND c.value > 0
                 AND (c.value > 10 * t.median_value OR c.value * 10 < t.median_value), false) AS outlier,
        coalesce(NOT list_bool_or(list_transform(range(1, length(c.metric_zh)),
                                                 lambda i: contains(coalesce(c.subject, ''), substr(c.metric_zh, i, 2)))),
                 false) AS metric_from_context
    FROM candidates AS c
    LEFT JOIN typical AS t USING (metric, region_level, unit)
)
SELECT
    s.figure_id,
    3 * s.conflict::INTEGER + 2 * s.near_year_value::INTEGER + 2 * s.outlier::INTEGER
        + s.metric_from_context::INTEGER AS score,
    list_filter([
        CASE WHEN s.conflict THEN 'documents disagree on this point 数据冲突' END,
        CASE WHEN s.near_year_value THEN 'a ' || s.period_kind || ' next to that year''s value 目标/累计与当年值相近' END,
        CASE WHEN s.outlier THEN 'over ten times off this metric''s typical value 数值异常' END,
        CASE WHEN s.metric_from_context THEN 'the subject does not name the metric 指标来自上下文' END
    ], lambda reason: reason IS NOT NULL) AS reasons,
    s.metric, s.metric_zh, s.region_name, s.region_code, s.region_level, s.year, s.value, s.unit, s.qualifier,
    s.period_kind, s.text, s.subject, s.quote, s.doc, d.title
FROM scored AS s
LEFT JOIN documents AS d ON d.doc_id = s.doc_id
WHERE s.conflict OR s.near_year_value OR s.outlier OR s.metric_from_context
ORDER BY score DESC, s.metric, s.region_code, s.year, s.figure_id
LIMIT $limit
