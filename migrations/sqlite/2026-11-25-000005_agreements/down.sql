DROP TABLE settlements;
ALTER TABLE expenses DROP COLUMN against_advance;
DROP TABLE installment_allocations;
DROP TABLE installments;
DROP TABLE agreement_posts;
DROP TABLE agreements;
