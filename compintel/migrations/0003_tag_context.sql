-- 0003 tagging context: a hash of what a document's metadata tells the tagger (a field note's
-- front matter, its source's tags). When it changes — a source tagged with another customer —
-- the document is tagged again. Rows from before this version have none, so they are redone once.

ALTER TABLE tag_state ADD COLUMN context_hash TEXT;
