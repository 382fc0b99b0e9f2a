-- A claim may be set off against the lost earnings still to be paid on the case, only with the
-- family's written consent and at the monthly amount consented to (issue 21): the claim names
-- the decision it is set off against; each payroll run withholds an installment from the
-- parent's line (after tax, like savings) and records it as a repayment on the claim.
-- SQLite cannot alter a CHECK: decisions is rebuilt for the new kind (foreign keys deferred to
-- the commit; DROP TABLE fires no triggers).
PRAGMA defer_foreign_keys = ON;
ALTER TABLE clawbacks ADD COLUMN offset_consented_on DATE;
ALTER TABLE clawbacks ADD COLUMN offset_monthly BIGINT CHECK (offset_monthly > 0);
ALTER TABLE clawbacks ADD COLUMN offset_lost_earnings_id TEXT REFERENCES lost_earnings(id);
ALTER TABLE payroll_lines ADD COLUMN set_off BIGINT NOT NULL DEFAULT 0 CHECK (set_off >= 0);
ALTER TABLE payroll_lines ADD COLUMN set_off_clawback_id TEXT REFERENCES clawbacks(id);

CREATE TABLE decisions_old AS SELECT * FROM decisions;
DROP TABLE decisions;
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN ('case_approved', 'budget_year_granted', 'budget_year_amended', 'budget_refused', 'expense_approved', 'expense_rejected', 'expense_refused', 'expense_annulled', 'case_ended', 'agreement_made', 'settlement_claimed', 'settlement_waived', 'settlement_offset', 'settlement_reopened', 'clawback_claimed', 'clawback_waived', 'clawback_offset', 'lost_earnings_granted', 'lost_earnings_refused', 'lost_earnings_changed')),
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
