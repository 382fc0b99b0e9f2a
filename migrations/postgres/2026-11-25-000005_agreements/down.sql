ALTER TABLE payables DROP CONSTRAINT payables_one_source;
ALTER TABLE payables DROP COLUMN settlement_id;
DROP TABLE settlements;
ALTER TABLE expenses DROP COLUMN against_advance;
DROP TABLE installment_allocations;
DROP TABLE installments;
DROP TABLE agreement_posts;
DROP TABLE agreements;
