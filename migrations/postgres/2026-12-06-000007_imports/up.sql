-- Imports of payroll-administration firms' helper-trainer payroll files (issue 11). An import is
-- a state machine (validating → booked | rejected | dry_run_ok | interrupted); once it has ended
-- it is never changed. Its issues (errors and warnings) are written once.
CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    kind TEXT NOT NULL CHECK (kind IN ('helper_payroll')),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes BIGINT NOT NULL CHECK (bytes >= 0),
    dry_run BOOLEAN NOT NULL,
    forced_dialect TEXT CHECK (forced_dialect IN ('da', 'en')),
    status TEXT NOT NULL CHECK (status IN ('validating', 'booking', 'booked', 'rejected', 'dry_run_ok', 'interrupted')),
    dialect TEXT,
    rows_read BIGINT NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
    rows_booked BIGINT NOT NULL DEFAULT 0 CHECK (rows_booked >= 0),
    errors_count BIGINT NOT NULL DEFAULT 0 CHECK (errors_count >= 0),
    warnings_count BIGINT NOT NULL DEFAULT 0 CHECK (warnings_count >= 0),
    amount_booked BIGINT NOT NULL DEFAULT 0 CHECK (amount_booked >= 0),
    entries_booked BIGINT NOT NULL DEFAULT 0 CHECK (entries_booked >= 0),
    -- The file's lines (its line breaks, less the header's), known once it has arrived.
    rows_total BIGINT CHECK (rows_total >= 0),
    -- What a booked file booked: helpers' hours (a decimal as text, like an expense's hours),
    -- wages with the employer's costs on the helper-trainer posts, and the firms' fees, in øre.
    hours_booked TEXT NOT NULL DEFAULT '0',
    wages_booked BIGINT NOT NULL DEFAULT 0 CHECK (wages_booked >= 0),
    fees_booked BIGINT NOT NULL DEFAULT 0 CHECK (fees_booked >= 0),
    created_by TEXT NOT NULL,
    created_role TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
-- A file is booked at most once: one live (running or booked) import per file and municipality.
CREATE UNIQUE INDEX imports_live_file ON imports (municipality, sha256)
    WHERE NOT dry_run AND status IN ('validating', 'booking', 'booked');
CREATE INDEX imports_municipality ON imports (municipality, id);

CREATE FUNCTION imports_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'DELETE on imports refused';
    END IF;
    IF OLD.status IN ('booked', 'rejected', 'dry_run_ok', 'interrupted') THEN
        RAISE EXCEPTION 'UPDATE on an ended import refused: send the file again';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER imports_final BEFORE UPDATE OR DELETE ON imports
    FOR EACH ROW EXECUTE FUNCTION imports_final();

CREATE TABLE import_issues (
    import_id TEXT NOT NULL REFERENCES imports(id),
    n BIGINT NOT NULL CHECK (n >= 1),
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    line BIGINT NOT NULL CHECK (line >= 0),
    column_name TEXT NOT NULL,
    value TEXT NOT NULL,
    code TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (import_id, n)
);
CREATE FUNCTION import_issues_written_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on import_issues refused', TG_OP;
END $$;
CREATE TRIGGER import_issues_written_once BEFORE UPDATE OR DELETE ON import_issues
    FOR EACH ROW EXECUTE FUNCTION import_issues_written_once();

-- The import an approved expense came from (a payslip line), if any.
ALTER TABLE expenses ADD COLUMN import_id TEXT REFERENCES imports(id);
CREATE INDEX expenses_import ON expenses (import_id) WHERE import_id IS NOT NULL;
