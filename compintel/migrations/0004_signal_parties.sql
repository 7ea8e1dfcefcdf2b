-- 0004 signals about organisations outside the catalog: the company (or customer) is then that
-- organisation's name as the text writes it, with no id. Rows from before have none.

ALTER TABLE signals ADD COLUMN company_name TEXT;
ALTER TABLE signals ADD COLUMN customer_name TEXT;
