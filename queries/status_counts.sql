-- status_counts: one row with the number of documents, figures, figures with a metric,
-- regions and years in the database, and the files rejected by the last build.
SELECT
    (SELECT count(*) FROM documents) AS documents,
    (SELECT count(*) FROM corrected_figures) AS figures,
    (SELECT count(*) FROM corrected_figures WHERE metric IS NOT NULL) AS figures_with_metric,
    (SELECT count(DISTINCT region_code) FROM corrected_figures) AS regions,
    (SELECT count(DISTINCT year) FROM corrected_figures) AS years,
    (SELECT count(*) FROM rejects WHERE run_id = (SELECT max(run_id) FROM runs)) AS rejected_last_build
