-- A claim may be set off against the lost earnings still to be paid on the case, only with the
-- family's written consent and at the monthly amount consented to (issue 21): the claim names
-- the decision it is set off against; each payroll run withholds an installment from the
-- parent's line (after tax, like savings) and records it as a repayment on the claim.
ALTER TABLE clawbacks ADD COLUMN offset_consented_on DATE;
ALTER TABLE clawbacks ADD COLUMN offset_monthly BIGINT CHECK (offset_monthly > 0);
ALTER TABLE clawbacks ADD COLUMN offset_lost_earnings_id TEXT REFERENCES lost_earnings(id);
ALTER TABLE clawbacks ADD CONSTRAINT clawbacks_offset_complete CHECK (
    (offset_consented_on IS NULL AND offset_monthly IS NULL AND offset_lost_earnings_id IS NULL)
    OR (offset_consented_on IS NOT NULL AND offset_monthly IS NOT NULL AND offset_lost_earnings_id IS NOT NULL));
ALTER TABLE payroll_lines ADD COLUMN set_off BIGINT NOT NULL DEFAULT 0 CHECK (set_off >= 0);
ALTER TABLE payroll_lines ADD COLUMN set_off_clawback_id TEXT REFERENCES clawbacks(id);
ALTER TABLE decisions DROP CONSTRAINT decisions_kind_check;
ALTER TABLE decisions ADD CONSTRAINT decisions_kind_check CHECK (kind IN ('case_approved', 'budget_year_granted', 'budget_year_amended', 'budget_refused', 'expense_approved', 'expense_rejected', 'expense_refused', 'expense_annulled', 'case_ended', 'agreement_made', 'settlement_claimed', 'settlement_waived', 'settlement_offset', 'settlement_reopened', 'clawback_claimed', 'clawback_waived', 'clawback_offset', 'lost_earnings_granted', 'lost_earnings_refused', 'lost_earnings_changed'));
