-- Decisions (afgørelser): every grant, refusal, claim or change that touches a family, with its
-- reasons, rule, legal reference and figures; written once, never edited.
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN ('case_approved', 'budget_year_granted', 'budget_year_amended', 'budget_refused', 'expense_approved', 'expense_rejected', 'expense_refused', 'expense_annulled', 'case_ended', 'agreement_made', 'settlement_claimed', 'settlement_waived', 'settlement_offset')),
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
CREATE INDEX decisions_case ON decisions (municipality, case_id, created_at);
CREATE FUNCTION decisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on decisions refused: a decision is corrected by a new decision', TG_OP;
END $$;
CREATE TRIGGER decisions_immutable BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION decisions_immutable();

CREATE TABLE settings (
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    version INTEGER NOT NULL CHECK (version >= 1),
    budget_year_months INTEGER NOT NULL CHECK (budget_year_months BETWEEN 1 AND 12),
    proposal_weeks_before_end INTEGER NOT NULL CHECK (proposal_weeks_before_end BETWEEN 0 AND 52),
    documentation_weeks_after_end INTEGER NOT NULL CHECK (documentation_weeks_after_end BETWEEN 0 AND 52),
    payslips_in_basis INTEGER NOT NULL CHECK (payslips_in_basis BETWEEN 1 AND 12),
    insurance_threshold_hours INTEGER NOT NULL CHECK (insurance_threshold_hours BETWEEN 0 AND 8784),
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality, version)
);

ALTER TABLE cases ADD COLUMN payee TEXT NOT NULL DEFAULT 'family' CHECK (payee IN ('family', 'payroll_firm'));
ALTER TABLE cases ADD COLUMN payroll_firm TEXT;

ALTER TABLE budget_years ADD COLUMN retroactive_from DATE;
-- The version of the municipality's settings the year was granted under (0: the defaults).
ALTER TABLE budget_years ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0;

ALTER TABLE expenses ADD COLUMN service_from DATE;
ALTER TABLE expenses ADD COLUMN service_to DATE;
UPDATE expenses SET service_from = expense_date, service_to = expense_date;
ALTER TABLE expenses ALTER COLUMN service_from SET NOT NULL;
ALTER TABLE expenses ALTER COLUMN service_to SET NOT NULL;
ALTER TABLE expenses ADD CONSTRAINT expenses_service_period CHECK (service_from <= service_to);
ALTER TABLE expenses ADD COLUMN annulled_on DATE;
ALTER TABLE expenses ADD COLUMN annulled_by TEXT;
ALTER TABLE expenses ADD COLUMN annul_reason TEXT;
ALTER TABLE expenses ADD COLUMN annul_entry_id TEXT;
ALTER TABLE expenses DROP CONSTRAINT expenses_status_known;
ALTER TABLE expenses ADD CONSTRAINT expenses_status_known
    CHECK (status IN ('pending', 'approved', 'rejected', 'refused', 'annulled'));
ALTER TABLE expenses DROP CONSTRAINT expenses_case_id_document_ref_key;
CREATE UNIQUE INDEX expenses_live_document ON expenses (case_id, document_ref) WHERE status IN ('pending', 'approved');
DROP INDEX expenses_case_date;
CREATE INDEX expenses_case_date ON expenses (case_id, service_from);

ALTER TABLE payables ADD COLUMN payee TEXT NOT NULL DEFAULT 'family' CHECK (payee IN ('family', 'payroll_firm'));
ALTER TABLE payables ADD COLUMN payroll_firm TEXT;
ALTER TABLE payables DROP CONSTRAINT payables_status_known;
ALTER TABLE payables ADD CONSTRAINT payables_status_known CHECK (status IN ('open', 'paid', 'cancelled'));

ALTER TABLE payments ADD COLUMN returned_on DATE;
ALTER TABLE payments ADD COLUMN return_reason TEXT;
ALTER TABLE payments ADD COLUMN return_entry_id TEXT;
ALTER TABLE payments ADD COLUMN returned_by TEXT;

-- Which payables a payment paid, kept when a returned payment opens them again.
CREATE TABLE payment_payables (
    payment_id TEXT NOT NULL REFERENCES payments(id),
    payable_id TEXT NOT NULL REFERENCES payables(id),
    PRIMARY KEY (payment_id, payable_id)
);
INSERT INTO payment_payables (payment_id, payable_id)
    SELECT payment_id, id FROM payables WHERE payment_id IS NOT NULL;

CREATE TABLE clawbacks (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    origin TEXT NOT NULL CHECK (origin IN ('settlement', 'annulled_expense')),
    settlement_id TEXT,
    expense_id TEXT,
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    repaid BIGINT NOT NULL DEFAULT 0 CHECK (repaid >= 0),
    status TEXT NOT NULL CHECK (status IN ('open', 'settled')),
    entry_id TEXT NOT NULL REFERENCES journal_entries(id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (repaid <= amount)
);
CREATE INDEX clawbacks_status ON clawbacks (municipality, status);
CREATE TABLE clawback_repayments (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    clawback_id TEXT NOT NULL REFERENCES clawbacks(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    received_on DATE NOT NULL,
    bank_reference TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES journal_entries(id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_known;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_known
    CHECK (kind IN ('manual', 'reversal', 'budget_grant', 'budget_amendment', 'expense_approved', 'payment', 'installment', 'clawback_claimed', 'clawback_repaid', 'settlement', 'lost_earnings'));

INSERT INTO rates (id, name, valid_from, value, unit, source, created_by, created_at) VALUES
 ('seed-cap-2021', 'training_expense_cap', '2021-01-01', '658784.00', 'DKK', 'Social- og Ældreministeriet, the yearly rate table (satser) for 2021: 658,784 kr.', 'migration', CURRENT_TIMESTAMP);
