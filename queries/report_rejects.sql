-- report_rejects: the files the database lacks, with the reason each was rejected and when.
SELECT path, reason, rejected_at
FROM rejects
ORDER BY path
