-- One claims flow (issue 21): a claim starts proposed (found, not decided, owed by nobody), the
-- family is heard, then a decision claims all, part or nothing.
ALTER TABLE clawbacks DROP CONSTRAINT clawbacks_origin_check;
ALTER TABLE clawbacks ADD CONSTRAINT clawbacks_origin_check
    CHECK (origin IN ('settlement', 'annulled_expense', 'lost_earnings'));
ALTER TABLE clawbacks ADD COLUMN lost_earnings_id TEXT;
ALTER TABLE clawbacks ALTER COLUMN decision_id DROP NOT NULL;
ALTER TABLE clawbacks ALTER COLUMN entry_id DROP NOT NULL;
ALTER TABLE clawbacks ADD COLUMN proposed_amount BIGINT;
UPDATE clawbacks SET proposed_amount = amount;
ALTER TABLE clawbacks ALTER COLUMN proposed_amount SET NOT NULL;
ALTER TABLE clawbacks ADD CONSTRAINT clawbacks_proposed_amount_check CHECK (proposed_amount > 0);
ALTER TABLE clawbacks DROP CONSTRAINT clawbacks_amount_check;
ALTER TABLE clawbacks ADD CONSTRAINT clawbacks_amount_check CHECK (amount >= 0 AND amount <= proposed_amount);
ALTER TABLE clawbacks DROP CONSTRAINT clawbacks_status_check;
ALTER TABLE clawbacks ADD CONSTRAINT clawbacks_status_check
    CHECK (status IN ('proposed', 'open', 'settled', 'waived'));
ALTER TABLE clawbacks ADD COLUMN hearing_sent_on DATE;
ALTER TABLE clawbacks ADD COLUMN respond_by DATE;
ALTER TABLE clawbacks ADD COLUMN response_received_on DATE;
ALTER TABLE clawbacks ADD COLUMN response_summary TEXT;

ALTER TABLE decisions DROP CONSTRAINT decisions_kind_check;
ALTER TABLE decisions ADD CONSTRAINT decisions_kind_check CHECK (kind IN ('case_approved', 'budget_year_granted', 'budget_year_amended', 'budget_refused', 'expense_approved', 'expense_rejected', 'expense_refused', 'expense_annulled', 'case_ended', 'agreement_made', 'settlement_claimed', 'settlement_waived', 'settlement_offset', 'clawback_claimed', 'clawback_waived', 'lost_earnings_granted', 'lost_earnings_refused', 'lost_earnings_changed'));

ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_known;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_known
    CHECK (kind IN ('manual', 'reversal', 'budget_grant', 'budget_amendment', 'expense_approved', 'payment', 'installment', 'clawback_claimed', 'clawback_waived', 'overpayment', 'clawback_repaid', 'settlement', 'lost_earnings'));

-- A settlement's unspent money is claimed only after the family was heard, like any claim.
ALTER TABLE settlements ADD COLUMN hearing_sent_on DATE;
ALTER TABLE settlements ADD COLUMN respond_by DATE;
ALTER TABLE settlements ADD COLUMN response_received_on DATE;
ALTER TABLE settlements ADD COLUMN response_summary TEXT;
