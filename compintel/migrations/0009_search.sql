-- 0009 full-text search over documents (news, pages, files and field notes): an FTS5 index of
-- each document's title and text, kept in step with the documents table by triggers, so every
-- stage that writes documents (gather, import, the removal of a note) keeps it current without
-- knowing about it. The index stores no copy of the text (external content: snippets read the
-- documents table). A write that leaves title and text as they were (a re-gather of an
-- unchanged page, a story id, a MinHash, a date filled in) does not touch the index.

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text,
    content = 'documents', content_rowid = 'id',
    -- English stems ("rejections" finds "rejected"), accents folded ("Société" = "societe")
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
END;

CREATE TRIGGER documents_fts_update AFTER UPDATE OF id, title, text ON documents
WHEN old.id IS NOT new.id OR old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- the documents stored before this version
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');

-- Search checks its filters hit by hit, so each check must be one look-up in a small index:
-- a document's signals by type, company and customer (the index by document alone, widened),
-- and a document's date (a note's date, else publication, else fetch: compintel.search._DATE).
DROP INDEX signals_document;
CREATE INDEX signals_document ON signals(document_id, type, company_id, customer_id);
CREATE INDEX documents_search_date
    ON documents(id, COALESCE(substr(published_at, 1, 10), substr(fetched_at, 1, 10)));
