ALTER TABLE expenses DROP COLUMN requested_amount;
ALTER TABLE settlements DROP COLUMN accounts_complete_on;
DROP INDEX expenses_live_document_key;
CREATE UNIQUE INDEX expenses_live_document ON expenses (case_id, document_ref) WHERE status IN ('pending', 'approved');
ALTER TABLE expenses DROP COLUMN document_key;
DROP INDEX cases_external_key;
ALTER TABLE cases DROP COLUMN external_key;
