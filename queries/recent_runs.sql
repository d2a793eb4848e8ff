-- recent_runs: the last $limit builds, newest first, with what each changed.
SELECT run_id, started_at, finished_at, status, docs_new, docs_changed, docs_unchanged,
       docs_removed, docs_rejected, figures_added, figures_removed, errors
FROM runs
ORDER BY started_at DESC
LIMIT $limit
