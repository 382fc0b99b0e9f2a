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
