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
    -- What was asked (JSON object) and the figures the decision rests on (JSON array).
    asked TEXT NOT NULL,
    figures TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX decisions_case ON decisions (municipality, case_id, created_at);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'UPDATE on decisions refused: a decision is corrected by a new decision'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'DELETE on decisions refused: a decision is corrected by a new decision'); END;

-- Municipal practice, versioned: the newest version is in force.
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

-- Who is paid for helper-trainer wages on a case: the family, or a payroll-administration firm.
ALTER TABLE cases ADD COLUMN payee TEXT NOT NULL DEFAULT 'family' CHECK (payee IN ('family', 'payroll_firm'));
ALTER TABLE cases ADD COLUMN payroll_firm TEXT;

-- A budget year may reach back to the application date for retroactive expenses.
ALTER TABLE budget_years ADD COLUMN retroactive_from DATE;
-- The version of the municipality's settings the year was granted under (0: the defaults).
ALTER TABLE budget_years ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0;

-- Expenses get a service period and two more outcomes (refused by a rule, annulled after
-- approval). A document may be submitted again once its expense is out of play, so its
-- uniqueness is per live expense: SQLite cannot drop a table's UNIQUE, so the table is rebuilt
-- (foreign keys deferred to the commit, where every payable finds its expense again).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE expenses_old AS SELECT * FROM expenses;
DROP TRIGGER expenses_status_known_insert;
DROP TRIGGER expenses_status_known_update;
DROP TABLE expenses;
CREATE TABLE expenses (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    budget_year_id TEXT NOT NULL REFERENCES budget_years(id),
    post_id TEXT NOT NULL REFERENCES budget_posts(id),
    expense_date DATE NOT NULL,
    service_from DATE NOT NULL,
    service_to DATE NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    hours TEXT,
    description TEXT NOT NULL,
    supplier TEXT NOT NULL,
    document_ref TEXT NOT NULL,
    course_country TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'refused', 'annulled')),
    decided_by TEXT,
    decided_at TIMESTAMP,
    reject_reason TEXT,
    entry_id TEXT,
    annulled_on DATE,
    annulled_by TEXT,
    annul_reason TEXT,
    annul_entry_id TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (service_from <= service_to)
);
INSERT INTO expenses (id, municipality, case_id, budget_year_id, post_id, expense_date, service_from, service_to,
    amount, hours, description, supplier, document_ref, course_country, status, decided_by, decided_at,
    reject_reason, entry_id, created_by, created_at)
SELECT id, municipality, case_id, budget_year_id, post_id, expense_date, expense_date, expense_date,
    amount, hours, description, supplier, document_ref, course_country, status, decided_by, decided_at,
    reject_reason, entry_id, created_by, created_at FROM expenses_old;
DROP TABLE expenses_old;
CREATE INDEX expenses_year ON expenses (budget_year_id);
CREATE INDEX expenses_case_date ON expenses (case_id, service_from);
CREATE UNIQUE INDEX expenses_live_document ON expenses (case_id, document_ref) WHERE status IN ('pending', 'approved');

-- Payables: to whom, and cancelled when the approval behind an unpaid one is annulled.
ALTER TABLE payables ADD COLUMN payee TEXT NOT NULL DEFAULT 'family' CHECK (payee IN ('family', 'payroll_firm'));
ALTER TABLE payables ADD COLUMN payroll_firm TEXT;
DROP TRIGGER payables_status_known_insert;
DROP TRIGGER payables_status_known_update;
CREATE TRIGGER payables_status_known_insert BEFORE INSERT ON payables
WHEN NEW.status NOT IN ('open', 'paid', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: payables_status_known'); END;
CREATE TRIGGER payables_status_known_update BEFORE UPDATE ON payables
WHEN NEW.status NOT IN ('open', 'paid', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: payables_status_known'); END;

-- A transfer the bank returned.
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

-- Money the family owes back, and what it repaid.
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

DROP TRIGGER journal_entries_kind_known;
CREATE TRIGGER journal_entries_kind_known BEFORE INSERT ON journal_entries
WHEN NEW.kind NOT IN ('manual', 'reversal', 'budget_grant', 'budget_amendment', 'expense_approved', 'payment', 'installment', 'clawback_claimed', 'clawback_repaid', 'settlement', 'lost_earnings')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: journal_entries_kind_known'); END;

-- The 2021 level of the cap (the ministry's rate table).
INSERT INTO rates (id, name, valid_from, value, unit, source, created_by, created_at) VALUES
 ('seed-cap-2021', 'training_expense_cap', '2021-01-01', '658784.00', 'DKK', 'Social- og Ældreministeriet, the yearly rate table (satser) for 2021: 658,784 kr.', 'migration', CURRENT_TIMESTAMP);
