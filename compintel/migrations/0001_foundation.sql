-- 0001 foundation: sources, documents, field notes, mentions, signals, account tables, runs.

CREATE TABLE sources (
    id          TEXT PRIMARY KEY,            -- the source's name in sources/*.toml
    kind        TEXT NOT NULL,               -- feed | page | listing | folder | notes | table
    location    TEXT NOT NULL,               -- URL, or a path relative to the workspace
    tags        TEXT NOT NULL DEFAULT '[]',  -- JSON list of catalog ids the source concerns
    defined_in  TEXT,                        -- file:line of the definition
    updated_at  TEXT NOT NULL
);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,      -- canonical URL, or file:/note: + workspace path
    source_id     TEXT REFERENCES sources(id) ON DELETE SET NULL,
    kind          TEXT NOT NULL,             -- article | feed_entry | page | file | note
    title         TEXT,
    author        TEXT,
    published_at  TEXT,                      -- ISO 8601, UTC where known
    fetched_at    TEXT NOT NULL,
    text          TEXT NOT NULL,
    content_hash  TEXT NOT NULL
);
CREATE INDEX documents_source ON documents(source_id);
CREATE INDEX documents_hash ON documents(content_hash);

CREATE TABLE field_notes (
    document_id   INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    path          TEXT NOT NULL,             -- workspace path (#row N for visit-log rows)
    note_date     TEXT NOT NULL,             -- YYYY-MM-DD
    customer_id   TEXT NOT NULL,
    plant_id      TEXT,
    author        TEXT,
    grade         TEXT NOT NULL CHECK (grade IN ('observed', 'reported', 'rumoured')),
    competitor_id TEXT,
    contacts      TEXT
);
CREATE INDEX field_notes_customer ON field_notes(customer_id, note_date);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    label       TEXT NOT NULL,
    entity_id   TEXT                         -- catalog id; NULL for an unknown ORG
);
CREATE INDEX mentions_document ON mentions(document_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE signals (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    start         INTEGER NOT NULL,          -- evidence sentence span in the document text
    end           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    company_id    TEXT,
    customer_id   TEXT,
    plant_id      TEXT,
    technology_id TEXT,
    value         REAL,
    unit          TEXT,
    observed_at   TEXT,
    grade         TEXT
);
CREATE INDEX signals_document ON signals(document_id);
CREATE INDEX signals_customer ON signals(customer_id, type);

CREATE TABLE tag_state (
    document_id      INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    content_hash     TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    tagged_at        TEXT NOT NULL
);

-- Account tables. Each row belongs to the import of one file; re-importing a file replaces
-- its rows in one transaction.
CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL UNIQUE,       -- workspace path of the file
    table_kind   TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    rows         INTEGER NOT NULL,
    imported_at  TEXT NOT NULL
);

CREATE TABLE sales (
    import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    customer_id  TEXT NOT NULL,
    part_family  TEXT NOT NULL,
    month        TEXT NOT NULL,              -- YYYY-MM
    plan_qty     REAL, actual_qty   REAL,    -- pieces
    plan_value   REAL, actual_value REAL     -- rupees
);
CREATE INDEX sales_customer ON sales(customer_id, month);

CREATE TABLE share_of_business (
    import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    month        TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    plant_id     TEXT,
    model        TEXT,
    part_family  TEXT NOT NULL,
    supplier_id  TEXT NOT NULL,
    share_pct    REAL NOT NULL CHECK (share_pct BETWEEN 0 AND 100)
);
CREATE INDEX sob_customer ON share_of_business(customer_id, month);

CREATE TABLE vendor_ratings (
    import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    customer_id  TEXT NOT NULL,
    plant_id     TEXT,
    month        TEXT NOT NULL,
    supplier_id  TEXT NOT NULL,
    score        REAL,
    band         TEXT
);

CREATE TABLE rfqs (
    import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    rfq_date     TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    programme    TEXT,
    part_family  TEXT,
    status       TEXT NOT NULL,              -- open | quoted | won | lost | dropped
    competitor_id TEXT,                      -- who won, when lost
    value        REAL,                       -- rupees a year
    reason       TEXT,
    decided_on   TEXT
);

CREATE TABLE complaints (
    import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    ref          TEXT,
    customer_id  TEXT NOT NULL,
    plant_id     TEXT,
    category     TEXT NOT NULL,              -- quality | cost | delivery | development | management
    description  TEXT,
    raised_on    TEXT NOT NULL,
    target_on    TEXT,
    closed_on    TEXT,
    is_voc       INTEGER NOT NULL DEFAULT 0  -- a voice-of-customer item rather than a complaint
);

CREATE TABLE receivables (
    import_id     INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    invoice       TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    invoice_date  TEXT,
    due_date      TEXT NOT NULL,
    amount        REAL NOT NULL,
    received_on   TEXT,
    received_amount REAL,
    planned_receipt_on TEXT
);

CREATE TABLE production_volumes (
    import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    customer_id  TEXT NOT NULL,
    plant_id     TEXT,
    model        TEXT,
    month        TEXT NOT NULL,
    volume       REAL NOT NULL
);

-- Runs.
CREATE TABLE gather_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'running'   -- running | ok | failed | interrupted
);

CREATE TABLE gather_log (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES gather_runs(id) ON DELETE CASCADE,
    source_id  TEXT NOT NULL,
    url        TEXT,
    outcome    TEXT NOT NULL,   -- new | changed | unchanged | failed | robots
    reason     TEXT,
    at         TEXT NOT NULL
);
CREATE INDEX gather_log_source ON gather_log(source_id, at);

CREATE TABLE report_runs (
    id          INTEGER PRIMARY KEY,
    period      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    ok          INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE report_results (
    run_id      INTEGER NOT NULL REFERENCES report_runs(id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL,
    status      TEXT NOT NULL,  -- ok | failed
    html_path   TEXT,
    error       TEXT,
    PRIMARY KEY (run_id, customer_id)
);
