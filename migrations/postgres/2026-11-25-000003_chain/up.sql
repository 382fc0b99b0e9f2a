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
CREATE INDEX postings_muni_account_date ON postings (municipality, account_id, effective_date) INCLUDE (debit, credit);

-- Who ended a case, and when.
ALTER TABLE cases ADD COLUMN ended_by TEXT;
ALTER TABLE cases ADD COLUMN ended_at TIMESTAMP;

-- The database backs the rules up: closed sets of values, and running totals that keep their
-- account's constraint whatever the code does.
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_known
    CHECK (kind IN ('asset', 'liability', 'equity', 'income', 'expense', 'budget'));
ALTER TABLE accounts ADD CONSTRAINT accounts_constraint_known
    CHECK (balance_constraint IN ('none', 'debits_must_not_exceed_credits', 'credits_must_not_exceed_debits'));
ALTER TABLE accounts ADD CONSTRAINT accounts_totals_keep_constraint
    CHECK (debits_posted >= 0 AND credits_posted >= 0
        AND (balance_constraint <> 'debits_must_not_exceed_credits' OR debits_posted <= credits_posted)
        AND (balance_constraint <> 'credits_must_not_exceed_debits' OR credits_posted <= debits_posted));
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_known
    CHECK (kind IN ('manual', 'reversal', 'budget_grant', 'budget_amendment', 'expense_approved', 'payment', 'installment', 'clawback_claimed', 'lost_earnings'));
ALTER TABLE expenses ADD CONSTRAINT expenses_status_known
    CHECK (status IN ('pending', 'approved', 'rejected'));
ALTER TABLE payables ADD CONSTRAINT payables_status_known
    CHECK (status IN ('open', 'paid'));
ALTER TABLE cases ADD CONSTRAINT cases_scope_known
    CHECK (scope IN ('full', 'partial'));

-- Entries and postings are never edited or deleted; an entry's seq and hash are written once.
CREATE FUNCTION refuse_ledger_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the books are append-only; correct by a reversal', TG_OP, TG_TABLE_NAME;
END $$;

CREATE FUNCTION seal_entry_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.hash IS NULL
       OR (NEW.id, NEW.municipality, NEW.kind, NEW.effective_date, NEW.description, NEW.reverses,
           NEW.source_type, NEW.source_id, NEW.created_by, NEW.created_role, NEW.request_id,
           NEW.client_request_id, NEW.created_at)
          IS DISTINCT FROM
          (OLD.id, OLD.municipality, OLD.kind, OLD.effective_date, OLD.description, OLD.reverses,
           OLD.source_type, OLD.source_id, OLD.created_by, OLD.created_role, OLD.request_id,
           OLD.client_request_id, OLD.created_at) THEN
        RAISE EXCEPTION 'UPDATE on journal_entries refused: an entry is immutable; only its seq and hash are written, once';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER journal_entries_seal_only BEFORE UPDATE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION seal_entry_only();
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_edit();
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_edit();
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_edit();
