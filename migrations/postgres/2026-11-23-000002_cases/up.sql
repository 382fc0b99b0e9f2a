-- Statutory rates as dated parameters: a value holds from valid_from until the next one.
CREATE TABLE rates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    valid_from DATE NOT NULL,
    -- Exact decimal as text (money in kroner, or a percentage): never a float.
    value TEXT NOT NULL,
    unit TEXT NOT NULL,
    source TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (name, valid_from)
);

-- The yearly cap on training expenses per child (bek. om hjemmetræning § 6, stk. 2 and 5).
INSERT INTO rates (id, name, valid_from, value, unit, source, created_by, created_at) VALUES
 ('seed-cap-2016', 'training_expense_cap', '2016-07-01', '596681.00', 'DKK', 'Bekendtgørelse nr. 717 af 2016 § 6, stk. 2, as quoted in Københavns Kommune''s folder "Økonomi og hjemmetræning". The guidance (vejledningen pkt. 157 d) prints 591,681 kr; the order prevails (608,615 / 1.02 = 596,681).', 'migration', CURRENT_TIMESTAMP),
 ('seed-cap-2017', 'training_expense_cap', '2017-01-01', '608615.00', 'DKK', 'Københavns Kommune, "Økonomi og hjemmetræning": 2017 level.', 'migration', CURRENT_TIMESTAMP),
 ('seed-cap-2018', 'training_expense_cap', '2018-01-01', '620787.00', 'DKK', 'National handbook for caseworkers and parents, Del 3 "Hjælp og støtte": 2018 level.', 'migration', CURRENT_TIMESTAMP),
 ('seed-cap-2020', 'training_expense_cap', '2020-01-01', '645867.00', 'DKK', '2020 level, regulated by the satsreguleringsprocent.', 'migration', CURRENT_TIMESTAMP),
 ('seed-cap-2024', 'training_expense_cap', '2024-01-01', '706600.00', 'DKK', 'Bekendtgørelse om hjemmetræning (Barnets lov § 85) § 6, stk. 2: 2024 level.', 'migration', CURRENT_TIMESTAMP);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    external_ref TEXT NOT NULL,
    child_birth_date DATE NOT NULL,
    application_date DATE NOT NULL,
    approval_date DATE NOT NULL,
    scope TEXT NOT NULL,
    end_date DATE,
    end_reason TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- Bumped by every decision on the case so that decisions on one case serialize.
    lock_version BIGINT NOT NULL DEFAULT 0,
    UNIQUE (municipality, external_ref)
);

CREATE TABLE budget_years (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    start_date DATE NOT NULL,
    -- 12 months from the start, less one day; cut short on read by the case's end.
    nominal_end_date DATE NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX budget_years_case ON budget_years (case_id);

CREATE TABLE budget_posts (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    budget_year_id TEXT NOT NULL REFERENCES budget_years(id),
    line_no INTEGER NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    granted BIGINT NOT NULL,
    -- Hour-based helper-trainer posts: hours (exact decimal text) and the hourly rate in øre.
    hours_granted TEXT,
    hourly_rate BIGINT,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX budget_posts_year ON budget_posts (budget_year_id);

-- Every version of a budget stays readable: a snapshot per decision.
CREATE TABLE budget_versions (
    budget_year_id TEXT NOT NULL REFERENCES budget_years(id),
    version INTEGER NOT NULL,
    decided_on DATE NOT NULL,
    reason TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    entry_id TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (budget_year_id, version)
);

CREATE TABLE expenses (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    budget_year_id TEXT NOT NULL REFERENCES budget_years(id),
    post_id TEXT NOT NULL REFERENCES budget_posts(id),
    expense_date DATE NOT NULL,
    amount BIGINT NOT NULL,
    hours TEXT,
    description TEXT NOT NULL,
    supplier TEXT NOT NULL,
    document_ref TEXT NOT NULL,
    course_country TEXT,
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at TIMESTAMP,
    reject_reason TEXT,
    entry_id TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, document_ref)
);
CREATE INDEX expenses_year ON expenses (budget_year_id);
CREATE INDEX expenses_case_date ON expenses (case_id, expense_date);

CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    paid_on DATE NOT NULL,
    bank_reference TEXT NOT NULL,
    amount BIGINT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES journal_entries(id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE payables (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    expense_id TEXT NOT NULL UNIQUE REFERENCES expenses(id),
    amount BIGINT NOT NULL,
    status TEXT NOT NULL,
    payment_id TEXT REFERENCES payments(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX payables_status ON payables (municipality, status);
