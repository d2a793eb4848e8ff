-- report_changes: up to $limit figures that build $run_id added, changed or retracted, with the
-- value before and after, the metric's Chinese name, the sentence, and the title of the
-- document (still published for a new or changed figure; NULL for a removed one).
SELECT c.change, c.doc, d.title, m.zh AS metric_zh, c.region_name, c.year,
       c.value_before, c.value_after, c.unit, c.text, c.quote
FROM figure_changes AS c
LEFT JOIN metrics AS m ON m.id = c.metric
LEFT JOIN (SELECT doc, any_value(title) AS title FROM documents GROUP BY doc) AS d ON d.doc = c.doc
WHERE c.run_id = $run_id
ORDER BY CASE c.change WHEN 'changed' THEN 0 WHEN 'new' THEN 1 ELSE 2 END, c.doc, c.figure_id
LIMIT $limit
