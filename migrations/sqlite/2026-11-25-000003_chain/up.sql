-- Voucher numbers and the hash chain, written once per entry by the sealer after commit.
ALTER TABLE journal_entries ADD COLUMN seq BIGINT;
ALTER TABLE journal_entries ADD COLUMN hash TEXT;
-- The caller's X-Request-Id, kept beside the server's own request id (never trusted as unique).
ALTER TABLE journal_entries ADD COLUMN client_request_id TEXT;
CREATE UNIQUE INDEX journal_entries_seq ON journal_entries (municipality, seq);
CREATE INDEX journal_entries_unsealed ON journal_entries (municipality, id) WHERE seq IS NULL;
CREATE TABLE chain_heads (
    municipality TEXT PRIMARY KEY REFERENCES municipalities(code),
    seq BIGINT NOT NULL CHECK (seq >= 1),
    hash TEXT NOT NULL
);

-- Balances as of a date: running totals minus later postings, summed from this index alone
-- (it covers the amounts, so the sum never reads the table).
CREATE INDEX postings_muni_account_date ON postings (municipality, account_id, effective_date, debit, credit);

-- Who ended a case, and when.
ALTER TABLE cases ADD COLUMN ended_by TEXT;
ALTER TABLE cases ADD COLUMN ended_at TIMESTAMP;

-- The database backs the rules up: closed sets of values, and running totals that keep their
-- account's constraint whatever the code does. (SQLite cannot add a CHECK to an existing table,
-- so these are triggers with the same conditions as PostgreSQL's CHECK constraints.)
CREATE TRIGGER accounts_check_insert BEFORE INSERT ON accounts
WHEN NEW.kind NOT IN ('asset', 'liability', 'equity', 'income', 'expense', 'budget')
  OR NEW.balance_constraint NOT IN ('none', 'debits_must_not_exceed_credits', 'credits_must_not_exceed_debits')
  OR NEW.debits_posted < 0 OR NEW.credits_posted < 0
  OR (NEW.balance_constraint = 'debits_must_not_exceed_credits' AND NEW.debits_posted > NEW.credits_posted)
  OR (NEW.balance_constraint = 'credits_must_not_exceed_debits' AND NEW.credits_posted > NEW.debits_posted)
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: accounts_totals_keep_constraint'); END;
CREATE TRIGGER accounts_check_update BEFORE UPDATE ON accounts
WHEN NEW.kind NOT IN ('asset', 'liability', 'equity', 'income', 'expense', 'budget')
  OR NEW.balance_constraint NOT IN ('none', 'debits_must_not_exceed_credits', 'credits_must_not_exceed_debits')
  OR NEW.debits_posted < 0 OR NEW.credits_posted < 0
  OR (NEW.balance_constraint = 'debits_must_not_exceed_credits' AND NEW.debits_posted > NEW.credits_posted)
  OR (NEW.balance_constraint = 'credits_must_not_exceed_debits' AND NEW.credits_posted > NEW.debits_posted)
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: accounts_totals_keep_constraint'); END;
CREATE TRIGGER journal_entries_kind_known BEFORE INSERT ON journal_entries
WHEN NEW.kind NOT IN ('manual', 'reversal', 'budget_grant', 'budget_amendment', 'expense_approved', 'payment', 'installment', 'clawback_claimed', 'lost_earnings')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: journal_entries_kind_known'); END;
CREATE TRIGGER expenses_status_known_insert BEFORE INSERT ON expenses
WHEN NEW.status NOT IN ('pending', 'approved', 'rejected')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: expenses_status_known'); END;
CREATE TRIGGER expenses_status_known_update BEFORE UPDATE ON expenses
WHEN NEW.status NOT IN ('pending', 'approved', 'rejected')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: expenses_status_known'); END;
CREATE TRIGGER payables_status_known_insert BEFORE INSERT ON payables
WHEN NEW.status NOT IN ('open', 'paid')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: payables_status_known'); END;
CREATE TRIGGER payables_status_known_update BEFORE UPDATE ON payables
WHEN NEW.status NOT IN ('open', 'paid')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: payables_status_known'); END;
CREATE TRIGGER cases_scope_known BEFORE INSERT ON cases
WHEN NEW.scope NOT IN ('full', 'partial')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: cases_scope_known'); END;
CREATE TRIGGER cases_scope_known_update BEFORE UPDATE ON cases
WHEN NEW.scope NOT IN ('full', 'partial')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: cases_scope_known'); END;

-- Entries and postings are never edited or deleted; an entry's seq and hash are written once.
CREATE TRIGGER journal_entries_seal_only BEFORE UPDATE ON journal_entries
WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.hash IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.municipality IS NOT OLD.municipality OR NEW.kind IS NOT OLD.kind
  OR NEW.effective_date IS NOT OLD.effective_date OR NEW.description IS NOT OLD.description
  OR NEW.reverses IS NOT OLD.reverses OR NEW.source_type IS NOT OLD.source_type
  OR NEW.source_id IS NOT OLD.source_id OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_role IS NOT OLD.created_role OR NEW.request_id IS NOT OLD.request_id
  OR NEW.client_request_id IS NOT OLD.client_request_id OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'UPDATE on journal_entries refused: an entry is immutable; only its seq and hash are written, once'); END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'DELETE on journal_entries refused: the books are append-only; correct by a reversal'); END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'UPDATE on postings refused: the books are append-only; correct by a reversal'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'DELETE on postings refused: the books are append-only; correct by a reversal'); END;
