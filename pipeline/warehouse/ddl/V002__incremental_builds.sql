-- Schema version 2: what incremental builds remember between runs.

-- One row per corpus file seen by the last build: enough to skip it cheaply next time.
CREATE TABLE IF NOT EXISTS files (
    path         VARCHAR PRIMARY KEY,     -- relative to the corpus folder
    size         BIGINT NOT NULL,
    mtime_ns     BIGINT NOT NULL,
    bytes_hash   VARCHAR NOT NULL,        -- sha256 of the raw bytes
    meta_hash    VARCHAR NOT NULL,        -- sha256 of its sidecar/manifest metadata ('' when none)
    fingerprint  VARCHAR NOT NULL,        -- extractor fingerprint that processed it
    doc_ids      VARCHAR[] NOT NULL,      -- documents it yielded (empty when rejected)
    run_id       BIGINT
);

-- Figures each build added, changed or retracted, compared with the build before it.
CREATE TABLE IF NOT EXISTS figure_changes (
    run_id        BIGINT NOT NULL,
    change        VARCHAR NOT NULL,       -- new | changed | retracted
    figure_id     VARCHAR NOT NULL,       -- the current id (the old one for a retracted figure)
    doc           VARCHAR,
    metric        VARCHAR,
    region_code   VARCHAR,
    region_name   VARCHAR,
    year          INTEGER,
    unit          VARCHAR,
    value_before  DOUBLE,
    value_after   DOUBLE,
    text          VARCHAR,
    quote         VARCHAR
);

ALTER TABLE runs ADD COLUMN IF NOT EXISTS figures_changed INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS fingerprint VARCHAR;   -- extractor version + language data hash
ALTER TABLE runs ADD COLUMN IF NOT EXISTS workers INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS timings VARCHAR;       -- JSON: seconds per stage
