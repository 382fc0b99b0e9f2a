-- Fixed-amount agreements (bek. § 6, stk. 4; vejledningen pkt. 157 e): one per budget year, the
-- posts it covers, and its installments with each post's share.
CREATE TABLE agreements (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    budget_year_id TEXT NOT NULL UNIQUE REFERENCES budget_years(id),
    frequency TEXT NOT NULL CHECK (frequency IN ('monthly', 'half_yearly', 'yearly')),
    family_agreed_on DATE NOT NULL,
    first_payment_date DATE NOT NULL,
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE agreement_posts (
    agreement_id TEXT NOT NULL REFERENCES agreements(id),
    post_id TEXT NOT NULL REFERENCES budget_posts(id),
    PRIMARY KEY (agreement_id, post_id)
);
CREATE TABLE installments (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    agreement_id TEXT NOT NULL REFERENCES agreements(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    line_no INTEGER NOT NULL,
    due_date DATE NOT NULL,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    status TEXT NOT NULL CHECK (status IN ('due', 'paid', 'cancelled')),
    paid_on DATE,
    bank_reference TEXT,
    entry_id TEXT REFERENCES journal_entries(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (agreement_id, line_no)
);
CREATE INDEX installments_due ON installments (municipality, status, due_date);
CREATE TABLE installment_allocations (
    installment_id TEXT NOT NULL REFERENCES installments(id),
    post_id TEXT NOT NULL REFERENCES budget_posts(id),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (installment_id, post_id)
);
-- An expense approved against the family's advance (a covered post) rather than as a payable.
ALTER TABLE expenses ADD COLUMN against_advance BOOLEAN NOT NULL DEFAULT FALSE;

-- The annual accounts of an agreement's budget year: per covered post granted, prepaid,
-- approved, unspent and shortfall (JSON), the totals, and the decision on any unspent money.
CREATE TABLE settlements (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    budget_year_id TEXT NOT NULL UNIQUE REFERENCES budget_years(id),
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
    CHECK (net_unspent = 0 OR net_shortfall = 0)
);

-- A payable may come from a settlement's shortfall instead of an expense: SQLite cannot drop a
-- NOT NULL, so the table is rebuilt (foreign keys deferred to the commit).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE payables_old AS SELECT * FROM payables;
DROP TRIGGER payables_status_known_insert;
DROP TRIGGER payables_status_known_update;
DROP TABLE payables;
CREATE TABLE payables (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    expense_id TEXT UNIQUE REFERENCES expenses(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'cancelled')),
    payment_id TEXT REFERENCES payments(id),
    created_at TIMESTAMP NOT NULL,
    payee TEXT NOT NULL DEFAULT 'family' CHECK (payee IN ('family', 'payroll_firm')),
    payroll_firm TEXT,
    settlement_id TEXT UNIQUE REFERENCES settlements(id),
    CHECK ((expense_id IS NULL) <> (settlement_id IS NULL))
);
INSERT INTO payables (id, municipality, case_id, expense_id, amount, status, payment_id, created_at, payee, payroll_firm)
SELECT id, municipality, case_id, expense_id, amount, status, payment_id, created_at, payee, payroll_firm FROM payables_old;
DROP TABLE payables_old;
CREATE INDEX payables_status ON payables (municipality, status);

-- The standard chart's new account for waived repayments, for municipalities that exist already.
INSERT INTO accounts (id, municipality, code, name, kind, balance_constraint, debits_posted, credits_posted, created_at)
SELECT lower(hex(randomblob(16))), code, '5180', 'Waived repayments of prepaid fixed amounts', 'expense', 'none', 0, 0, CURRENT_TIMESTAMP
FROM municipalities WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.municipality = municipalities.code AND a.code = '5180');
