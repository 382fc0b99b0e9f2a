-- A settlement may be reopened by a decision (issue 21): its entries reversed, its claim
-- cancelled, and the year settled again. A budget year then has at most one settlement in force
-- (the reopened ones stay, marked by the reopening decision). SQLite cannot alter a UNIQUE or a
-- CHECK, so settlements, clawbacks and decisions are rebuilt (foreign keys deferred to the
-- commit; DROP TABLE fires no triggers).
PRAGMA defer_foreign_keys = ON;

CREATE TABLE settlements_old AS SELECT * FROM settlements;
DROP TABLE settlements;
CREATE TABLE settlements (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    budget_year_id TEXT NOT NULL REFERENCES budget_years(id),
    agreement_id TEXT NOT NULL REFERENCES agreements(id),
    lines TEXT NOT NULL,
    total_prepaid BIGINT NOT NULL,
    total_approved BIGINT NOT NULL,
    net_unspent BIGINT NOT NULL CHECK (net_unspent >= 0),
    net_shortfall BIGINT NOT NULL CHECK (net_shortfall >= 0),
    decision TEXT CHECK (decision IN ('claim', 'waive', 'offset')),
    decision_id TEXT REFERENCES decisions(id),
    entry_id TEXT REFERENCES journal_entries(id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    accounts_complete_on DATE,
    hearing_sent_on DATE,
    respond_by DATE,
    response_received_on DATE,
    response_summary TEXT,
    -- The decision that reopened it; none while it is in force.
    reopened_by_decision TEXT REFERENCES decisions(id),
    CHECK (net_unspent = 0 OR net_shortfall = 0)
);
INSERT INTO settlements (id, municipality, case_id, budget_year_id, agreement_id, lines,
    total_prepaid, total_approved, net_unspent, net_shortfall, decision, decision_id, entry_id,
    created_by, created_at, accounts_complete_on, hearing_sent_on, respond_by,
    response_received_on, response_summary)
    SELECT id, municipality, case_id, budget_year_id, agreement_id, lines,
    total_prepaid, total_approved, net_unspent, net_shortfall, decision, decision_id, entry_id,
    created_by, created_at, accounts_complete_on, hearing_sent_on, respond_by,
    response_received_on, response_summary FROM settlements_old;
DROP TABLE settlements_old;
CREATE UNIQUE INDEX settlements_year_in_force ON settlements (budget_year_id)
    WHERE reopened_by_decision IS NULL;

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
    -- `cancelled`: its settlement was reopened before anything was repaid.
    status TEXT NOT NULL CHECK (status IN ('proposed', 'open', 'settled', 'waived', 'cancelled')),
    -- The entry that booked the overpayment (proposed) or the claim.
    entry_id TEXT REFERENCES journal_entries(id),
    hearing_sent_on DATE,
    respond_by DATE,
    response_received_on DATE,
    response_summary TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    cause TEXT CHECK (cause IN ('case_ended', 'changed')),
    cause_decision_id TEXT REFERENCES decisions(id),
    CHECK (repaid <= amount)
);
INSERT INTO clawbacks SELECT * FROM clawbacks_old;
DROP TABLE clawbacks_old;
CREATE INDEX clawbacks_status ON clawbacks (municipality, status);

CREATE TABLE decisions_old AS SELECT * FROM decisions;
DROP TABLE decisions;
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN ('case_approved', 'budget_year_granted', 'budget_year_amended', 'budget_refused', 'expense_approved', 'expense_rejected', 'expense_refused', 'expense_annulled', 'case_ended', 'agreement_made', 'settlement_claimed', 'settlement_waived', 'settlement_offset', 'settlement_reopened', 'clawback_claimed', 'clawback_waived', 'lost_earnings_granted', 'lost_earnings_refused', 'lost_earnings_changed')),
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
