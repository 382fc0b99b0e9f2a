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

ALTER TABLE payables ALTER COLUMN expense_id DROP NOT NULL;
ALTER TABLE payables ADD COLUMN settlement_id TEXT UNIQUE REFERENCES settlements(id);
ALTER TABLE payables ADD CONSTRAINT payables_one_source CHECK ((expense_id IS NULL) <> (settlement_id IS NULL));

INSERT INTO accounts (id, municipality, code, name, kind, balance_constraint, debits_posted, credits_posted, created_at)
SELECT md5(random()::text || clock_timestamp()::text || code), code, '5180', 'Waived repayments of prepaid fixed amounts', 'expense', 'none', 0, 0, CURRENT_TIMESTAMP
FROM municipalities WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.municipality = municipalities.code AND a.code = '5180');
