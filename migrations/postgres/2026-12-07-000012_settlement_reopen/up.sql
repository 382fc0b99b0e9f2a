-- A settlement may be reopened by a decision (issue 21): its entries reversed, its claim
-- cancelled, and the year settled again. A budget year then has at most one settlement in force
-- (the reopened ones stay, marked by the reopening decision).
ALTER TABLE settlements ADD COLUMN reopened_by_decision TEXT REFERENCES decisions(id);
ALTER TABLE settlements DROP CONSTRAINT settlements_budget_year_id_key;
CREATE UNIQUE INDEX settlements_year_in_force ON settlements (budget_year_id)
    WHERE reopened_by_decision IS NULL;

ALTER TABLE clawbacks DROP CONSTRAINT clawbacks_status_check;
ALTER TABLE clawbacks ADD CONSTRAINT clawbacks_status_check
    CHECK (status IN ('proposed', 'open', 'settled', 'waived', 'cancelled'));

ALTER TABLE decisions DROP CONSTRAINT decisions_kind_check;
ALTER TABLE decisions ADD CONSTRAINT decisions_kind_check CHECK (kind IN ('case_approved', 'budget_year_granted', 'budget_year_amended', 'budget_refused', 'expense_approved', 'expense_rejected', 'expense_refused', 'expense_annulled', 'case_ended', 'agreement_made', 'settlement_claimed', 'settlement_waived', 'settlement_offset', 'settlement_reopened', 'clawback_claimed', 'clawback_waived', 'lost_earnings_granted', 'lost_earnings_refused', 'lost_earnings_changed'));
