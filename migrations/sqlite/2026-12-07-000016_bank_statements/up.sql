-- Bank statements and their reconciliation with account 1000 (issue 24). A statement and its
-- lines are the bank's own record: stored once (the same file, or the same camt statement id,
-- answers with the first) and never changed. A match joins one bank line to the ledger's
-- movements on the bank account (each a journal entry); undoing a match records who and when
-- and keeps the row. The unique indexes over the matches in force are the guard that no line
-- and no movement is ever in two matches, whatever runs at the same time.
CREATE TABLE bank_statements (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('camt.053.001.02', 'camt.053.001.08', 'csv')),
    statement_ref TEXT,
    account TEXT,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    opening_balance BIGINT,
    closing_balance BIGINT,
    closing_date DATE,
    lines_count INTEGER NOT NULL CHECK (lines_count >= 0),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (period_from <= period_to)
);
CREATE UNIQUE INDEX bank_statements_file ON bank_statements (municipality, sha256);
CREATE UNIQUE INDEX bank_statements_ref ON bank_statements (municipality, statement_ref)
    WHERE statement_ref IS NOT NULL;

CREATE TABLE bank_statement_lines (
    statement_id TEXT NOT NULL REFERENCES bank_statements(id),
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    booking_date DATE NOT NULL,
    amount BIGINT NOT NULL,
    text TEXT NOT NULL,
    end_to_end_id TEXT,
    bank_reference TEXT,
    balance BIGINT,
    PRIMARY KEY (statement_id, line_no)
);

CREATE TABLE bank_matches (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    statement_id TEXT NOT NULL REFERENCES bank_statements(id),
    line_no INTEGER NOT NULL,
    rule TEXT NOT NULL CHECK (rule IN ('reference', 'reference_in_text', 'amount_and_date', 'one_to_many', 'manual')),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    undone_by TEXT,
    undone_at TIMESTAMP,
    FOREIGN KEY (statement_id, line_no) REFERENCES bank_statement_lines (statement_id, line_no)
);
CREATE UNIQUE INDEX bank_matches_line ON bank_matches (statement_id, line_no) WHERE undone_at IS NULL;

CREATE TABLE bank_match_movements (
    match_id TEXT NOT NULL REFERENCES bank_matches(id),
    municipality TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES journal_entries(id),
    amount BIGINT NOT NULL,
    undone_at TIMESTAMP,
    PRIMARY KEY (match_id, entry_id)
);
CREATE UNIQUE INDEX bank_match_movements_entry ON bank_match_movements (municipality, entry_id)
    WHERE undone_at IS NULL;

ALTER TABLE settings ADD COLUMN bank_match_window_days INTEGER NOT NULL DEFAULT 3
    CHECK (bank_match_window_days BETWEEN 0 AND 31);

-- The bank's record is never changed; a match is only ever undone, once.
CREATE TRIGGER bank_statements_immutable BEFORE UPDATE ON bank_statements
BEGIN SELECT RAISE(ABORT, 'UPDATE on bank_statements refused: a statement is the bank''s record'); END;
CREATE TRIGGER bank_statements_kept BEFORE DELETE ON bank_statements
BEGIN SELECT RAISE(ABORT, 'DELETE on bank_statements refused: a statement is the bank''s record'); END;
CREATE TRIGGER bank_statement_lines_immutable BEFORE UPDATE ON bank_statement_lines
BEGIN SELECT RAISE(ABORT, 'UPDATE on bank_statement_lines refused: a statement is the bank''s record'); END;
CREATE TRIGGER bank_statement_lines_kept BEFORE DELETE ON bank_statement_lines
BEGIN SELECT RAISE(ABORT, 'DELETE on bank_statement_lines refused: a statement is the bank''s record'); END;
CREATE TRIGGER bank_matches_undo_only BEFORE UPDATE ON bank_matches
WHEN OLD.undone_at IS NOT NULL OR NEW.undone_at IS NULL OR NEW.undone_by IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.statement_id IS NOT OLD.statement_id OR NEW.line_no IS NOT OLD.line_no
  OR NEW.rule IS NOT OLD.rule OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'UPDATE on bank_matches refused: a match is only undone, once'); END;
CREATE TRIGGER bank_matches_kept BEFORE DELETE ON bank_matches
BEGIN SELECT RAISE(ABORT, 'DELETE on bank_matches refused: an undone match is kept'); END;
