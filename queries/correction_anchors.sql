-- correction_anchors: where each correction of the corrections table (undos aside) applies in the
-- figures as extracted now. Its document is the one with its content hash, else the one document
-- of its name whose text still holds the figure's text at its span and its sentence at the
-- sentence's place (an edit elsewhere in the file). `doc_id_now` is that document, `extracted_id`
-- the figure the extractor reads at the span there, `nearby_id` one to re-anchor an orphan to (a
-- figure over the span; in a changed document, the one figure with its text in its sentence),
-- `region_name`/`region_level` those of a corrected region code, and `problem` why its document
-- or fields cannot take it (NULL: they can).
WITH wanted AS (
    SELECT * FROM corrections WHERE action <> 'undo'
), same_text AS (
    SELECT c.correction_id, d.doc_id
    FROM wanted AS c
    JOIN documents AS d ON d.doc_id = c.doc_id
), moved AS (
    SELECT c.correction_id, any_value(d.doc_id) AS doc_id, count(*) AS documents
    FROM wanted AS c
    JOIN documents AS d ON d.doc = c.doc
    WHERE c.correction_id NOT IN (SELECT correction_id FROM same_text)
      AND substr(d.text, c.start + 1, c."end" - c.start) = c.text
      AND substr(d.text, c.quote_start + 1, length(c.quote)) = c.quote
    GROUP BY c.correction_id
), anchored AS (
    SELECT correction_id, doc_id FROM same_text
    UNION ALL SELECT correction_id, doc_id FROM moved WHERE documents = 1
), nearby AS (
    SELECT a.correction_id, min(f.figure_id) AS figure_id
    FROM anchored AS a
    JOIN wanted AS c USING (correction_id)
    JOIN figures AS f ON f.doc_id = a.doc_id AND f.start < c."end" AND f."end" > c.start
    GROUP BY a.correction_id
    UNION ALL
    SELECT c.correction_id, min(f.figure_id) AS figure_id
    FROM wanted AS c
    JOIN figures AS f ON f.doc = c.doc AND f.text = c.text AND f.quote = c.quote
    WHERE c.correction_id NOT IN (SELECT correction_id FROM anchored)
    GROUP BY c.correction_id
    HAVING count(*) = 1
)
SELECT
    c.correction_id,
    a.doc_id AS doc_id_now,
    f.figure_id AS extracted_id,
    n.figure_id AS nearby_id,
    r.name AS region_name,
    r.level AS region_level,
    CASE
        WHEN a.doc_id IS NULL AND NOT EXISTS (SELECT 1 FROM documents AS d WHERE d.doc = c.doc)
            THEN 'its document ' || c.doc || ' is no longer in the corpus'
        WHEN a.doc_id IS NULL
            THEN 'its document ' || c.doc || ' changed: the span ' || c.start || '–' || c."end"
                 || ' no longer holds “' || c.text || '” in its sentence'
        WHEN c.metric IS NOT NULL AND m.id IS NULL
            THEN 'metric ' || c.metric || ' is not in the catalog'
        WHEN c.region_code IS NOT NULL AND r.code IS NULL
            THEN 'region code ' || c.region_code || ' is not in the gazetteer'
    END AS problem
FROM wanted AS c
LEFT JOIN anchored AS a USING (correction_id)
LEFT JOIN figures AS f ON f.doc_id = a.doc_id AND f.start = c.start AND f."end" = c."end"
LEFT JOIN nearby AS n USING (correction_id)
LEFT JOIN metrics AS m ON m.id = c.metric
LEFT JOIN regions AS r ON r.code = c.region_code
ORDER BY c.line
