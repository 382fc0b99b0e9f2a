DELETE FROM rates WHERE id = 'seed-cap-2021';
DROP TABLE clawback_repayments;
DROP TABLE clawbacks;
DROP TABLE payment_payables;
DROP TABLE settings;
DROP TRIGGER decisions_no_update;
DROP TRIGGER decisions_no_delete;
DROP TABLE decisions;
