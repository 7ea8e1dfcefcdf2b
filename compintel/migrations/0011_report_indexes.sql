-- 0011 a report reads one customer's signals, and the customer-less industry news, for a window
-- of months (Workbench.signals with since/until): both by date through an index, so the time and
-- memory of a report do not grow with older history or other customers' signals. (A signal's
-- date is its own observed_at, which the tagger always sets, else its document's.)

CREATE INDEX signals_customer_observed ON signals(customer_id, observed_at);
CREATE INDEX signals_type_observed ON signals(type, observed_at);
