-- Schema version 1: documents, figures and their reference tables.
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL);

CREATE TABLE IF NOT EXISTS documents (
    doc_id            VARCHAR PRIMARY KEY,   -- sha256 of the text, first 16 hex digits
    doc               VARCHAR NOT NULL,      -- file stem, or STEM#N for a row of a CSV/JSONL export
    path              VARCHAR NOT NULL,
    format            VARCHAR,
    encoding          VARCHAR,
    bytes             BIGINT,
    chars             BIGINT,
    title             VARCHAR,
    source            VARCHAR,
    published         VARCHAR,               -- ISO date, or year-month, or year
    published_how     VARCHAR,               -- given | header | inferred from the text | unknown
    present_year      INTEGER,
    present_year_how  VARCHAR,
    main_region_code  VARCHAR,
    main_region_name  VARCHAR,
    script            VARCHAR,               -- simplified | traditional
    text              VARCHAR,
    run_id            BIGINT
);

CREATE TABLE IF NOT EXISTS figures (
    figure_id     VARCHAR PRIMARY KEY,       -- sha256(doc_id:start:end), stable across builds
    doc_id        VARCHAR NOT NULL,
    doc           VARCHAR NOT NULL,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    text          VARCHAR NOT NULL,
    quote         VARCHAR NOT NULL,
    quote_start   INTEGER,
    value         DOUBLE,
    unit          VARCHAR,
    qualifier     VARCHAR,
    metric        VARCHAR,
    subject       VARCHAR,
    region_code   VARCHAR,
    region_name   VARCHAR,
    region_level  VARCHAR,
    year          INTEGER,
    date          VARCHAR,
    period_kind   VARCHAR,
    extractor     VARCHAR,                   -- version of the extractor that produced it
    run_id        BIGINT
);

CREATE TABLE IF NOT EXISTS regions (
    code             VARCHAR PRIMARY KEY,
    name             VARCHAR NOT NULL,
    short_name       VARCHAR,
    level            VARCHAR NOT NULL,
    parent_code      VARCHAR,
    province_code    VARCHAR,
    prefecture_code  VARCHAR
);

CREATE TABLE IF NOT EXISTS metrics (
    id        VARCHAR PRIMARY KEY,
    zh        VARCHAR NOT NULL,
    en        VARCHAR NOT NULL,
    unit      VARCHAR NOT NULL,
    category  VARCHAR NOT NULL,
    kind      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS rejects (
    path     VARCHAR NOT NULL,
    reason   VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL,
    run_id   BIGINT
);

CREATE TABLE IF NOT EXISTS runs (
    run_id            BIGINT PRIMARY KEY,
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP,
    status            VARCHAR NOT NULL,      -- running | ok | failed
    corpus            VARCHAR,
    docs_new          INTEGER,
    docs_changed      INTEGER,
    docs_unchanged    INTEGER,
    docs_removed      INTEGER,
    docs_rejected     INTEGER,
    figures_added     INTEGER,
    figures_removed   INTEGER,
    errors            VARCHAR
);

CREATE INDEX IF NOT EXISTS figures_metric_region_year ON figures (metric, region_code, year);
CREATE INDEX IF NOT EXISTS figures_doc ON figures (doc_id);
