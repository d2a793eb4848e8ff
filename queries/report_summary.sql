-- report_summary: one row: documents, figures, figures with a metric, regions and years the
-- figures are about (first and last year too), files rejected, and when the data was last built.
SELECT
    (SELECT count(*) FROM documents) AS documents,
    (SELECT count(*) FROM corrected_figures) AS figures,
    (SELECT count(*) FROM corrected_figures WHERE metric IS NOT NULL) AS figures_with_metric,
    (SELECT count(DISTINCT region_code) FROM corrected_figures WHERE region_code IS NOT NULL) AS regions,
    (SELECT count(DISTINCT year) FROM corrected_figures WHERE year IS NOT NULL) AS years,
    (SELECT min(year) FROM corrected_figures) AS first_year,
    (SELECT max(year) FROM corrected_figures) AS last_year,
    (SELECT count(*) FROM rejects) AS rejected_files,
    (SELECT max(finished_at) FROM runs WHERE status = 'ok') AS built_at
