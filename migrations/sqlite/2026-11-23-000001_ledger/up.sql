-- The double-entry core. Money is BIGINT øre; ids are text UUIDs so one diesel schema serves SQLite and PostgreSQL.
CREATE TABLE municipalities (
    code TEXT PRIMARY KEY,
    closed_through DATE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    balance_constraint TEXT NOT NULL,
    owner TEXT,
    parent_id TEXT REFERENCES accounts(id),
    debits_posted BIGINT NOT NULL DEFAULT 0,
    credits_posted BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (municipality, code)
);
CREATE INDEX accounts_owner ON accounts (municipality, owner);

CREATE TABLE journal_entries (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    kind TEXT NOT NULL,
    effective_date DATE NOT NULL,
    description TEXT NOT NULL,
    -- UNIQUE: an entry can be reversed once, enforced by the database under any race.
    reverses TEXT UNIQUE REFERENCES journal_entries(id),
    source_type TEXT,
    source_id TEXT,
    created_by TEXT NOT NULL,
    created_role TEXT NOT NULL,
    request_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX journal_entries_muni_date ON journal_entries (municipality, effective_date);
CREATE INDEX journal_entries_source ON journal_entries (municipality, source_type, source_id);

CREATE TABLE postings (
    entry_id TEXT NOT NULL REFERENCES journal_entries(id),
    line_no INTEGER NOT NULL,
    municipality TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    effective_date DATE NOT NULL,
    debit BIGINT NOT NULL,
    credit BIGINT NOT NULL,
    PRIMARY KEY (entry_id, line_no),
    CHECK (debit >= 0 AND credit >= 0 AND (debit = 0) <> (credit = 0))
);
CREATE INDEX postings_account_date ON postings (account_id, effective_date);

CREATE TABLE period_closes (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    through DATE NOT NULL,
    closed_by TEXT NOT NULL,
    closed_at TIMESTAMP NOT NULL
);

CREATE TABLE idempotency_keys (
    municipality TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality, key)
);
