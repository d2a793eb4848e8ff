-- ray_staged_results: the per-file results a Ray build's workers staged as Parquet under $files
-- (a glob over the bucket=… partitions), in path order, for the driver to load like the
-- process pool's results.
SELECT * EXCLUDE (bucket) FROM read_parquet($files, hive_partitioning = true) ORDER BY relpath
