-- synth_run: records the synthetic build as one finished run, with its document and figure counts.
INSERT INTO runs (run_id, started_at, finished_at, status, corpus, docs_new, figures_added)
SELECT 1, now(), now(), 'ok', 'synthetic', (SELECT count(*) FROM documents), (SELECT count(*) FROM figures)
