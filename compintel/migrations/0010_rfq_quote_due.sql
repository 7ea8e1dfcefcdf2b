-- RFQs: the date the quote is due, so the report can prompt for quotes due soon.
ALTER TABLE rfqs ADD COLUMN quote_due TEXT;   -- YYYY-MM-DD; NULL when the tracker gives none
