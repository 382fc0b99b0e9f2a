-- References that must be unique are compared in their normal form (issue 20): Unicode NFKC-like
-- folding (full-width forms, every script's digits), invisible characters dropped, case-folded,
-- trimmed, inner spaces collapsed (rules::privacy::normal_form::reference_key, computed by the
-- service on every insert). "DUP-1", "dup-1" and "DUP-1" with a zero-width space are one key.
-- Rows written before this migration keep their reference as it was as their key (those are
-- unique already, so the new indexes always build); new rows carry the service's key.
ALTER TABLE cases ADD COLUMN external_key TEXT;
UPDATE cases SET external_key = external_ref;
CREATE UNIQUE INDEX cases_external_key ON cases (municipality, external_key);

-- An invoice is unique per supplier among a case's live expenses: the supplier's key and the
-- document's key, joined by a unit separator (which the service never lets into either).
ALTER TABLE expenses ADD COLUMN document_key TEXT;
UPDATE expenses SET document_key = supplier || chr(31) || document_ref;
DROP INDEX expenses_live_document;
CREATE UNIQUE INDEX expenses_live_document_key ON expenses (case_id, document_key)
    WHERE status IN ('pending', 'approved');

-- Annual accounts are settled when they are complete (issue 21): after the documentation
-- deadline, or before it on the family's confirmation that its accounts are complete, kept here.
ALTER TABLE settlements ADD COLUMN accounts_complete_on DATE;

-- A partial approval (issue 22): the expense is approved with a smaller amount; what the family
-- asked for is kept here, and the rest is a stored refusal decision.
ALTER TABLE expenses ADD COLUMN requested_amount BIGINT CHECK (requested_amount > 0);
