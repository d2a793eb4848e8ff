-- report_runs: the last $limit builds, newest first: when, how long, status, files
-- new/changed/removed/unchanged/rejected, figures new/changed/retracted, errors, stage timings.
SELECT run_id, started_at, finished_at, status, docs_new, docs_changed, docs_removed, docs_unchanged,
       docs_rejected, figures_added, figures_changed, figures_removed, errors, workers, timings
FROM runs
ORDER BY run_id DESC
LIMIT $limit
