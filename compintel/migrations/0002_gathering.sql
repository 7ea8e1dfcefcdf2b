-- 0002 gathering: HTTP validators for conditional GET, near-duplicate story groups, source
-- switches, and the process that runs a gather.

ALTER TABLE sources ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;

-- Syndicated copies of one story share a story_id (the id of the first copy stored).
ALTER TABLE documents ADD COLUMN story_id INTEGER REFERENCES documents(id) ON DELETE SET NULL;
ALTER TABLE documents ADD COLUMN minhash BLOB;
UPDATE documents SET story_id = id;
CREATE INDEX documents_story ON documents(story_id);

-- LSH band keys of each document's MinHash: documents sharing a key are candidates.
CREATE TABLE document_bands (
    band_key    TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, document_id)
) WITHOUT ROWID;
CREATE INDEX document_bands_document ON document_bands(document_id);

-- What the web last answered for a URL, so unchanged pages are not downloaded again.
CREATE TABLE http_cache (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    content_hash  TEXT,
    links         TEXT,          -- JSON list: the article links of a listing page
    fetched_at    TEXT NOT NULL
);

ALTER TABLE gather_runs ADD COLUMN pid INTEGER;

-- The gather log keeps the latest outcome per (source, URL): what `compintel status` shows,
-- bounded however often gathers run. Runs keep only the latest finished one.
CREATE TABLE gather_log_latest (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER REFERENCES gather_runs(id) ON DELETE SET NULL,
    source_id  TEXT NOT NULL,
    url        TEXT NOT NULL,
    outcome    TEXT NOT NULL,   -- new | changed | unchanged | failed | robots
    reason     TEXT,
    at         TEXT NOT NULL
);
INSERT INTO gather_log_latest (run_id, source_id, url, outcome, reason, at)
    SELECT run_id, source_id, COALESCE(url, ''), outcome, reason, at FROM gather_log
    WHERE id IN (SELECT MAX(id) FROM gather_log GROUP BY source_id, COALESCE(url, ''));
DROP TABLE gather_log;
ALTER TABLE gather_log_latest RENAME TO gather_log;
CREATE UNIQUE INDEX gather_log_key ON gather_log(source_id, url);

-- One report run per period: the latest.
DELETE FROM report_runs WHERE id NOT IN (SELECT MAX(id) FROM report_runs GROUP BY period);
CREATE UNIQUE INDEX report_runs_period ON report_runs(period);
