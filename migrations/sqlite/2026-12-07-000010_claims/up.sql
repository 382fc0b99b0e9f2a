-- One claims flow (issue 21): a claim starts proposed (found, not decided, owed by nobody), the
-- family is heard, then a decision claims all, part or nothing. SQLite cannot alter a CHECK or a
-- NOT NULL, so clawbacks and decisions are rebuilt (foreign keys deferred to the commit; DROP
-- TABLE fires no triggers).
PRAGMA defer_foreign_keys = ON;

CREATE TABLE clawbacks_old AS SELECT * FROM clawbacks;
DROP TABLE clawbacks;
CREATE TABLE clawbacks (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    origin TEXT NOT NULL CHECK (origin IN ('settlement', 'annulled_expense', 'lost_earnings')),
    settlement_id TEXT,
    expense_id TEXT,
    lost_earnings_id TEXT,
    -- The decision that claimed or waived it; none while proposed.
    decision_id TEXT REFERENCES decisions(id),
    -- What was found not due, and what a decision claimed of it (0 while proposed or waived).
    proposed_amount BIGINT NOT NULL CHECK (proposed_amount > 0),
    amount BIGINT NOT NULL CHECK (amount >= 0 AND amount <= proposed_amount),
    repaid BIGINT NOT NULL DEFAULT 0 CHECK (repaid >= 0),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'open', 'settled', 'waived')),
    -- The entry that booked the overpayment (proposed) or the claim.
    entry_id TEXT REFERENCES journal_entries(id),
    hearing_sent_on DATE,
    respond_by DATE,
    response_received_on DATE,
    response_summary TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (repaid <= amount)
);
INSERT INTO clawbacks (id, municipality, case_id, origin, settlement_id, expense_id, decision_id,
    proposed_amount, amount, repaid, status, entry_id, created_by, created_at)
    SELECT id, municipality, case_id, origin, settlement_id, expense_id, decision_id,
    amount, amount, repaid, status, entry_id, created_by, created_at FROM clawbacks_old;
DROP TABLE clawbacks_old;
CREATE INDEX clawbacks_status ON clawbacks (municipality, status);

CREATE TABLE decisions_old AS SELECT * FROM decisions;
DROP TABLE decisions;
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN ('case_approved', 'budget_year_granted', 'budget_year_amended', 'budget_refused', 'expense_approved', 'expense_rejected', 'expense_refused', 'expense_annulled', 'case_ended', 'agreement_made', 'settlement_claimed', 'settlement_waived', 'settlement_offset', 'clawback_claimed', 'clawback_waived', 'lost_earnings_granted', 'lost_earnings_refused', 'lost_earnings_changed')),
    decided_on DATE NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('granted', 'refused', 'claimed', 'waived', 'changed', 'ended')),
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    amount BIGINT,
    code TEXT,
    legal_reference TEXT,
    reason TEXT NOT NULL,
    asked TEXT NOT NULL,
    figures TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO decisions SELECT * FROM decisions_old;
DROP TABLE decisions_old;
CREATE INDEX decisions_case ON decisions (municipality, case_id, created_at);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'UPDATE on decisions refused: a decision is corrected by a new decision'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'DELETE on decisions refused: a decision is corrected by a new decision'); END;

DROP TRIGGER journal_entries_kind_known;
CREATE TRIGGER journal_entries_kind_known BEFORE INSERT ON journal_entries
WHEN NEW.kind NOT IN ('manual', 'reversal', 'budget_grant', 'budget_amendment', 'expense_approved', 'payment', 'installment', 'clawback_claimed', 'clawback_waived', 'overpayment', 'clawback_repaid', 'settlement', 'lost_earnings')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: journal_entries_kind_known'); END;

-- A settlement's unspent money is claimed only after the family was heard, like any claim.
ALTER TABLE settlements ADD COLUMN hearing_sent_on DATE;
ALTER TABLE settlements ADD COLUMN respond_by DATE;
ALTER TABLE settlements ADD COLUMN response_received_on DATE;
ALTER TABLE settlements ADD COLUMN response_summary TEXT;
