DROP TABLE idempotency_keys;
DROP TABLE period_closes;
DROP TABLE postings;
DROP TABLE journal_entries;
DROP TABLE accounts;
DROP TABLE municipalities;
