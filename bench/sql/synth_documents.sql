-- synth_documents: inserts $documents synthetic documents, each about one region and one year.
-- Deterministic (hashes, not random()); a few regions and recent years get far more
-- documents than the rest, as in real collections.
INSERT INTO documents (doc_id, doc, path, format, encoding, bytes, chars, title, source, published,
                       published_how, present_year, present_year_how, main_region_code, main_region_name,
                       script, text, run_id)
WITH places AS (
    SELECT code, name, row_number() OVER (ORDER BY hash(code)) - 1 AS idx, count(*) OVER () AS n
    FROM regions
    WHERE level <> 'national'
),
docs AS (
    SELECT i,
           left(md5('doc:' || i), 16) AS doc_id,
           CAST(floor(pow((hash(i, 'place') % 1000000) / 1e6, 2) * (SELECT max(n) FROM places)) AS BIGINT) AS place_idx,
           2025 - CAST(floor(pow((hash(i, 'year') % 1000000) / 1e6, 2) * 30) AS INTEGER) AS year
    FROM range($documents) AS t(i)
)
SELECT d.doc_id, 'synth_' || d.i, 'synth/' || d.i || '.txt', 'text', 'utf-8', 3000, 1000,
       p.name || d.year || '年基层党建工作报告', '合成数据', d.year || '-06-30', 'header', d.year, 'published',
       p.code, p.name, 'simplified',
       repeat(p.name || '全年新增基层党组织12个，党员人数达到3500名，培训党员1.2万人次。', 20), 1
FROM docs AS d
JOIN places AS p ON p.idx = d.place_idx
