DELETE FROM rates WHERE id = 'seed-cap-2021';
DROP TABLE clawback_repayments;
DROP TABLE clawbacks;
DROP TABLE payment_payables;
DROP TABLE settings;
DROP TABLE decisions;
DROP FUNCTION decisions_immutable();
