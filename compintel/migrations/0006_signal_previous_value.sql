-- 0006 where a figure came from, when the text says it ("up to 380 from 150", "78, down from 84"):
-- the previous value, in the signal's unit. Rows from before have none.

ALTER TABLE signals ADD COLUMN previous_value REAL;
