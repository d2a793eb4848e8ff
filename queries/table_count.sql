-- table_count: how many figures the table pages through: those of metric $metric (empty
-- string: every figure) between $year_from and $year_to, and every one without a year.
SELECT count(*) AS figures
FROM corrected_figures AS f
WHERE ($metric = '' OR f.metric = $metric)
  AND (f.year IS NULL OR f.year BETWEEN $year_from AND $year_to)
