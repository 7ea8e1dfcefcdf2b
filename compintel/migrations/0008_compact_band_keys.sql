-- 0008 LSH band keys as signed 64-bit integers (compintel.dedupe.band_keys) instead of text: the
-- table and its index are a third of the size, so inserts stay cheap as the store grows. The
-- keys are recomputed from each document's stored MinHash at the next gather
-- (compintel.gather.backfill_bands); until then no document is a candidate for grouping.

DROP TABLE document_bands;
CREATE TABLE document_bands (
    band_key    INTEGER NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, document_id)
) WITHOUT ROWID;
CREATE INDEX document_bands_document ON document_bands(document_id);
