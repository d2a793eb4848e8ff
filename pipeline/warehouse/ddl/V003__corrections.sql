-- Schema version 3: analysts' corrections (pipeline/curation) and the corrected figures that the
-- dashboard, the report and the exports read.

-- corrections.jsonl as the last build or correction applied it: one row a line (records.Correction),
-- with where it applies now.
CREATE TABLE IF NOT EXISTS corrections (
    correction_id  VARCHAR PRIMARY KEY,
    created_at     VARCHAR NOT NULL,      -- ISO 8601, UTC
    author         VARCHAR NOT NULL,
    action         VARCHAR NOT NULL,      -- reject | set | add | confirm | undo
    reason         VARCHAR NOT NULL,
    figure_id      VARCHAR,               -- the figure as it was corrected: sha256(doc_id:start:end)
    undoes         VARCHAR,               -- undo: the correction it takes back
    value          DOUBLE,                -- set/add: the fields it gives (NULL: left as extracted)
    unit           VARCHAR,
    qualifier      VARCHAR,
    metric         VARCHAR,
    region_code    VARCHAR,
    year           INTEGER,
    period_kind    VARCHAR,
    subject        VARCHAR,
    doc_id         VARCHAR,               -- the anchor: document content hash, span, text, sentence
    doc            VARCHAR,
    start          INTEGER,
    "end"          INTEGER,
    text           VARCHAR,
    quote          VARCHAR,
    quote_start    INTEGER,
    line           INTEGER NOT NULL,      -- its line in the corrections file
    status         VARCHAR,               -- applied | orphaned | undone
    problem        VARCHAR,               -- orphaned: why it cannot be applied
    applies_to     VARCHAR                -- applied: the figure it applies to now (another id when its document changed)
);

-- What the applied corrections make of each figure they touch, later corrections winning.
CREATE TABLE IF NOT EXISTS figure_corrections (
    figure_id       VARCHAR PRIMARY KEY,
    rejected        BOOLEAN NOT NULL,
    added           BOOLEAN NOT NULL,     -- a figure the extractor does not read: the columns below are all of it
    correction_ids  VARCHAR[] NOT NULL,   -- in file order
    value           DOUBLE,               -- NULL: as extracted
    unit            VARCHAR,
    qualifier       VARCHAR,
    metric          VARCHAR,
    region_code     VARCHAR,
    region_name     VARCHAR,
    region_level    VARCHAR,
    year            INTEGER,
    period_kind     VARCHAR,
    subject         VARCHAR,
    doc_id          VARCHAR,
    doc             VARCHAR,
    start           INTEGER,
    "end"           INTEGER,
    text            VARCHAR,
    quote           VARCHAR,
    quote_start     INTEGER
);

ALTER TABLE runs ADD COLUMN IF NOT EXISTS corrections VARCHAR;   -- the corrections file the build applied

-- The figures everything reads: the extracted ones with the corrections applied, rejected ones
-- left out, added ones in; each says whether it was corrected and what was extracted. The view
-- says how; pipeline.curation.apply publishes it as the table corrected_figures below (at every
-- build, and for the figures a correction touches), so the dashboard reads it at the speed of a table.
CREATE OR REPLACE VIEW corrected_figures_view AS
SELECT f.*, false AS corrected, NULL::VARCHAR[] AS correction_ids,
       NULL::DOUBLE AS original_value, NULL::VARCHAR AS original_unit, NULL::VARCHAR AS original_qualifier,
       NULL::VARCHAR AS original_metric, NULL::VARCHAR AS original_region_code,
       NULL::VARCHAR AS original_region_name, NULL::INTEGER AS original_year, NULL::VARCHAR AS original_period_kind
FROM figures AS f
WHERE f.figure_id NOT IN (SELECT figure_id FROM figure_corrections)
UNION ALL BY NAME
SELECT f.* REPLACE (
           coalesce(c.value, f.value) AS value, coalesce(c.unit, f.unit) AS unit,
           coalesce(c.qualifier, f.qualifier) AS qualifier, coalesce(c.metric, f.metric) AS metric,
           coalesce(c.region_code, f.region_code) AS region_code, coalesce(c.region_name, f.region_name) AS region_name,
           coalesce(c.region_level, f.region_level) AS region_level, coalesce(c.year, f.year) AS year,
           coalesce(c.period_kind, f.period_kind) AS period_kind),
       true AS corrected, c.correction_ids,
       f.value AS original_value, f.unit AS original_unit, f.qualifier AS original_qualifier,
       f.metric AS original_metric, f.region_code AS original_region_code, f.region_name AS original_region_name,
       f.year AS original_year, f.period_kind AS original_period_kind
FROM figures AS f
JOIN figure_corrections AS c ON c.figure_id = f.figure_id
WHERE NOT c.rejected AND NOT c.added
UNION ALL BY NAME
SELECT c.figure_id, c.doc_id, c.doc, c.start, c."end", c.text, c.quote, c.quote_start, c.value, c.unit,
       c.qualifier, c.metric, c.subject, c.region_code, c.region_name, c.region_level, c.year,
       NULL::VARCHAR AS date, c.period_kind, 'correction' AS extractor, NULL::BIGINT AS run_id,
       true AS corrected, c.correction_ids
FROM figure_corrections AS c
WHERE c.added AND NOT c.rejected;

CREATE TABLE IF NOT EXISTS corrected_figures AS SELECT * FROM corrected_figures_view;
