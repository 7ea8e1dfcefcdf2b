-- 0007 a signal keeps only its span into its document (start, end); its evidence sentence is
-- read from the document's text (substr) instead of being stored again with every signal.

ALTER TABLE signals DROP COLUMN text;
