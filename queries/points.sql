-- points: the chart points, one truth for the dashboard, the report and `export --points`.
-- One row per metric, series, year and point kind. A series is an administrative region at
-- its own level (series = its code) or a place below it (series = code|level|name): a
-- village's figure never joins its county. The point kind keeps apart what must not be read
-- as one year's value: 'year' (a stock or a flow of that year), 'cumulative' (summed over
-- several years ending that year) and 'target' (a plan or forecast for that year). Rule for
-- a 'level' metric: the exact figure over an approximate one, then the most recently
-- published document, then the first in document order; the point is a conflict when its
-- figures give different values, and lists them all. An 'items' metric (projects) is never
-- a conflict: the point is the sum of its items of the same kind. A 'year_to_date' metric
-- (gdp_growth_year_to_date: 1—5月, 前三季度) shows the year so far as of its latest month (the
-- figure's reference month, else its document's publication month): figures of earlier months
-- are behind the point, not in conflict with it; `as_of` is that month. Figures without a catalog
-- metric are charted per subject and unit as a 'level' metric keyed 'subject:SUBJECT:UNIT' (the
-- subject explorer), only when $metric names such a key; $metric = '' means every catalog
-- metric. Filters: $metric, $level, $province ('' = all), $series (empty list = all), years
-- $year_from–$year_to. The figures are the corrected ones (corrected_figures: analysts'
-- corrections applied, rejected figures gone); `corrected` says a figure behind the point was
-- corrected or added by an analyst, and `original_value` what the extractor read for the figure
-- the chart shows (NULL for one an analyst added, and for a sum of items).
-- The CTEs are MATERIALIZED: inlined, DuckDB joined regions and documents to every figure of the
-- metric before applying the series filter (3x slower on the 1M-figure bench database).
WITH placed AS MATERIALIZED (
    SELECT
        f.figure_id, f.doc, f.start, f.value, f.unit, f.qualifier, f.period_kind, f.year, f.text, f.quote,
        f.corrected, f.original_value, f.date,
        coalesce(f.metric, 'subject:' || coalesce(f.subject, '') || ':' || coalesce(f.unit, '')) AS metric,
        coalesce(m.kind, 'level') AS metric_kind,
        f.region_code, f.region_level, r.province_code,
        CASE WHEN f.region_level = r.level THEN f.region_code
             ELSE f.region_code || '|' || f.region_level || '|' || f.region_name END AS series,
        CASE WHEN f.region_level = r.level THEN r.name ELSE f.region_name END AS series_name,
        CASE f.period_kind WHEN 'target' THEN 'target' WHEN 'cumulative' THEN 'cumulative' ELSE 'year' END
            AS point_kind,
        d.title, d.source, d.published
    FROM corrected_figures AS f
    LEFT JOIN metrics AS m ON m.id = f.metric
    LEFT JOIN regions AS r ON r.code = f.region_code
    LEFT JOIN documents AS d ON d.doc_id = f.doc_id
    WHERE f.value IS NOT NULL AND f.year IS NOT NULL AND f.region_code IS NOT NULL
      AND CASE WHEN starts_with($metric, 'subject:')
               -- the key split once, not built for every figure (a unit has no ':')
               THEN f.metric IS NULL
                    AND coalesce(f.subject, '') = regexp_extract($metric, '^subject:(.*):([^:]*)$', 1)
                    AND coalesce(f.unit, '') = regexp_extract($metric, '^subject:(.*):([^:]*)$', 2)
               ELSE m.id IS NOT NULL AND ($metric = '' OR f.metric = $metric) END
      AND f.year BETWEEN $year_from AND $year_to
      -- the series' region codes, so the scan keeps only their figures before any join
      AND (len($series) = 0 OR list_contains(list_transform($series, lambda s: split_part(s, '|', 1)), f.region_code))
      AND ($level = '' OR (f.region_level = $level AND r.level = f.region_level))
      AND ($province = '' OR r.province_code = $province)
), selected AS MATERIALIZED (
    SELECT * FROM placed
    WHERE len($series) = 0 OR list_contains($series, series)
), dated AS (
    SELECT *, CASE WHEN metric_kind = 'year_to_date' THEN coalesce(date[:7], published[:7]) END AS as_of
    FROM selected
), ranked AS (
    SELECT *,
        row_number() OVER point_order AS rank,
        first_value(as_of) OVER point_order AS point_as_of
    FROM dated
    WINDOW point_order AS (
        PARTITION BY metric, series, year, point_kind
        ORDER BY as_of DESC NULLS LAST, qualifier IS DISTINCT FROM 'exact', published DESC NULLS LAST, doc, start)
)
SELECT
    metric, series, year, point_kind,
    any_value(metric_kind) AS metric_kind,
    any_value(series_name) AS series_name,
    any_value(region_code) AS region_code,
    any_value(region_level) AS region_level,
    any_value(province_code) AS province_code,
    CASE WHEN any_value(metric_kind) = 'items' THEN sum(value)
         ELSE any_value(value) FILTER (WHERE rank = 1) END AS value,
    any_value(unit) FILTER (WHERE rank = 1) AS unit,
    -- a sum is exact only when every item is; items all 'over' sum to 'over', mixed to 'about'
    CASE WHEN any_value(metric_kind) <> 'items' THEN any_value(qualifier) FILTER (WHERE rank = 1)
         WHEN count(DISTINCT coalesce(qualifier, 'exact')) = 1 THEN coalesce(any_value(qualifier), 'exact')
         ELSE 'about' END AS qualifier,
    any_value(period_kind) FILTER (WHERE rank = 1) AS period_kind,
    count(*) AS figures,
    count(DISTINCT doc) AS documents,
    count(DISTINCT value) AS distinct_values,
    any_value(metric_kind) <> 'items'
        AND count(DISTINCT value) FILTER (WHERE as_of IS NOT DISTINCT FROM point_as_of) > 1 AS conflict,
    any_value(point_as_of) AS as_of,
    list(DISTINCT value ORDER BY value) AS "values",
    bool_or(corrected) AS corrected,
    CASE WHEN any_value(metric_kind) <> 'items' THEN any_value(original_value) FILTER (WHERE rank = 1) END
        AS original_value,
    -- the figure the chart shows (none for a sum of items), then every figure behind the point
    CASE WHEN any_value(metric_kind) <> 'items' THEN any_value(figure_id) FILTER (WHERE rank = 1) END
        AS figure_id,
    list(figure_id ORDER BY rank) AS figure_ids,
    CASE WHEN any_value(metric_kind) <> 'items' THEN any_value(quote) FILTER (WHERE rank = 1) END AS quote,
    CASE WHEN any_value(metric_kind) <> 'items' THEN any_value(text) FILTER (WHERE rank = 1) END AS text,
    CASE WHEN any_value(metric_kind) <> 'items' THEN any_value(title) FILTER (WHERE rank = 1)
         ELSE string_agg(DISTINCT title, '；' ORDER BY title) END AS title,
    CASE WHEN any_value(metric_kind) <> 'items' THEN any_value(source) FILTER (WHERE rank = 1)
         ELSE string_agg(DISTINCT source, '、' ORDER BY source) END AS source,
    CASE WHEN any_value(metric_kind) <> 'items' THEN any_value(published) FILTER (WHERE rank = 1)
         ELSE max(published) END AS published
FROM ranked
GROUP BY metric, series, year, point_kind
ORDER BY metric, series, point_kind, year
