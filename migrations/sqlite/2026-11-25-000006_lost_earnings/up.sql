-- New decision kinds: SQLite cannot alter a CHECK, so the table is rebuilt (foreign keys
-- deferred to the commit; DROP TABLE fires no triggers).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE decisions_old AS SELECT * FROM decisions;
DROP TABLE decisions;
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN ('case_approved', 'budget_year_granted', 'budget_year_amended', 'budget_refused', 'expense_approved', 'expense_rejected', 'expense_refused', 'expense_annulled', 'case_ended', 'agreement_made', 'settlement_claimed', 'settlement_waived', 'settlement_offset', 'lost_earnings_granted', 'lost_earnings_refused', 'lost_earnings_changed')),
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
INSERT INTO decisions SELECT * FROM decisions_old;
DROP TABLE decisions_old;
CREATE INDEX decisions_case ON decisions (municipality, case_id, created_at);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'UPDATE on decisions refused: a decision is corrected by a new decision'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'DELETE on decisions refused: a decision is corrected by a new decision'); END;

-- Lost-earnings compensation (Barnets lov § 87; bek. § 5; vejledningen pkt. 157 b-c): a decision
-- per parent and its versions (a change from a date is a new version; earlier versions stay),
-- monthly payroll runs and their lines. Written once, never edited.
CREATE TABLE lost_earnings (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    case_id TEXT NOT NULL REFERENCES cases(id),
    -- An opaque reference to the parent, never a CPR number.
    parent_ref TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX lost_earnings_case ON lost_earnings (municipality, case_id);
CREATE INDEX lost_earnings_parent ON lost_earnings (municipality, parent_ref);
CREATE TABLE lost_earnings_versions (
    lost_earnings_id TEXT NOT NULL REFERENCES lost_earnings(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    effective_from DATE NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE NOT NULL,
    granted_weekly_hours TEXT NOT NULL,
    previous_weekly_hours TEXT,
    basis_type TEXT NOT NULL CHECK (basis_type IN ('employee', 'self_employed', 'estimated')),
    -- The payslips' gross amounts in øre (a JSON array); empty for a set monthly amount.
    payslips TEXT NOT NULL,
    basis BIGINT NOT NULL CHECK (basis > 0),
    -- The date the basis was set: regulation counts the 1 Januaries since.
    basis_from DATE NOT NULL,
    employer_pension_monthly BIGINT NOT NULL CHECK (employer_pension_monthly >= 0),
    monthly_savings BIGINT NOT NULL CHECK (monthly_savings >= 0),
    home_teaching_weekly_hours TEXT NOT NULL,
    home_taught_full_time BOOLEAN NOT NULL,
    exceptional_hours_documented BOOLEAN NOT NULL,
    cut_reason TEXT,
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (lost_earnings_id, version),
    CHECK (valid_from <= valid_to),
    CHECK (effective_from <= valid_to OR version > 1)
);
CREATE INDEX lost_earnings_versions_municipality ON lost_earnings_versions (municipality, valid_to);
CREATE TABLE payroll_runs (
    id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    -- The first day of the month run.
    month DATE NOT NULL,
    -- The run's voucher: the lines' totals (none when the run has nothing to book).
    entry_id TEXT REFERENCES journal_entries(id),
    lines_count INTEGER NOT NULL,
    corrections_count INTEGER NOT NULL,
    total_gross BIGINT NOT NULL,
    total_pension BIGINT NOT NULL,
    total_atp_recipient BIGINT NOT NULL,
    total_atp_municipality BIGINT NOT NULL,
    total_savings_deduction BIGINT NOT NULL,
    total_pay_before_tax BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (municipality, month)
);
CREATE TABLE payroll_lines (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES payroll_runs(id),
    line_no INTEGER NOT NULL,
    municipality TEXT NOT NULL,
    lost_earnings_id TEXT NOT NULL REFERENCES lost_earnings(id),
    -- The decision's latest version when the line was computed.
    version INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    parent_ref TEXT NOT NULL,
    month DATE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'correction')),
    corrects_month DATE,
    hours TEXT NOT NULL,
    gross BIGINT NOT NULL,
    pension BIGINT NOT NULL,
    atp_recipient BIGINT NOT NULL,
    atp_municipality BIGINT NOT NULL,
    savings_deduction BIGINT NOT NULL,
    pay_before_tax BIGINT NOT NULL,
    -- The run's voucher the line is part of (the lines are its subledger).
    entry_id TEXT REFERENCES journal_entries(id),
    UNIQUE (run_id, line_no),
    CHECK ((kind = 'correction') = (corrects_month IS NOT NULL))
);
CREATE INDEX payroll_lines_decision ON payroll_lines (municipality, lost_earnings_id);
CREATE TRIGGER lost_earnings_no_update BEFORE UPDATE ON lost_earnings
BEGIN SELECT RAISE(ABORT, 'UPDATE on lost_earnings refused: a change is a new version or a correction line'); END;
CREATE TRIGGER lost_earnings_no_delete BEFORE DELETE ON lost_earnings
BEGIN SELECT RAISE(ABORT, 'DELETE on lost_earnings refused: a change is a new version or a correction line'); END;
CREATE TRIGGER lost_earnings_versions_no_update BEFORE UPDATE ON lost_earnings_versions
BEGIN SELECT RAISE(ABORT, 'UPDATE on lost_earnings_versions refused: a change is a new version or a correction line'); END;
CREATE TRIGGER lost_earnings_versions_no_delete BEFORE DELETE ON lost_earnings_versions
BEGIN SELECT RAISE(ABORT, 'DELETE on lost_earnings_versions refused: a change is a new version or a correction line'); END;
CREATE TRIGGER payroll_runs_no_update BEFORE UPDATE ON payroll_runs
BEGIN SELECT RAISE(ABORT, 'UPDATE on payroll_runs refused: a change is a new version or a correction line'); END;
CREATE TRIGGER payroll_runs_no_delete BEFORE DELETE ON payroll_runs
BEGIN SELECT RAISE(ABORT, 'DELETE on payroll_runs refused: a change is a new version or a correction line'); END;
CREATE TRIGGER payroll_lines_no_update BEFORE UPDATE ON payroll_lines
BEGIN SELECT RAISE(ABORT, 'UPDATE on payroll_lines refused: a change is a new version or a correction line'); END;
CREATE TRIGGER payroll_lines_no_delete BEFORE DELETE ON payroll_lines
BEGIN SELECT RAISE(ABORT, 'DELETE on payroll_lines refused: a change is a new version or a correction line'); END;

-- Dated rates of lost earnings, each with its source. The yearly regulation percentage
-- (lost_earnings_regulation) is entered by the operator per year.
INSERT INTO rates (id, name, valid_from, value, unit, source, created_by, created_at) VALUES
 ('seed-le-max-2017', 'lost_earnings_maximum', '2017-01-01', '29918.00', 'DKK', 'The yearly rate table (satser) for 2017, as collected in DOMAIN.md § 2', 'migration', CURRENT_TIMESTAMP),
 ('seed-le-max-2018', 'lost_earnings_maximum', '2018-01-01', '30576.00', 'DKK', 'The yearly rate table (satser) for 2018, as collected in DOMAIN.md § 2', 'migration', CURRENT_TIMESTAMP),
 ('seed-le-max-2019', 'lost_earnings_maximum', '2019-01-01', '31249.00', 'DKK', 'The yearly rate table (satser) for 2019, as collected in DOMAIN.md § 2', 'migration', CURRENT_TIMESTAMP),
 ('seed-le-max-2020', 'lost_earnings_maximum', '2020-01-01', '31936.00', 'DKK', 'LOV nr. 1570 af 27/12/2019 (the 2020 level written into the law), as collected in DOMAIN.md § 2', 'migration', CURRENT_TIMESTAMP),
 ('seed-le-max-2021', 'lost_earnings_maximum', '2021-01-01', '32671.00', 'DKK', 'The yearly rate table (satser) for 2021, as collected in DOMAIN.md § 2', 'migration', CURRENT_TIMESTAMP),
 ('seed-le-max-2023', 'lost_earnings_maximum', '2023-01-01', '34055.00', 'DKK', 'Barnets lov § 87, stk. 3 (34.055 kr. at the 2023 level)', 'migration', CURRENT_TIMESTAMP),
 ('seed-le-max-2024', 'lost_earnings_maximum', '2024-01-01', '35247.00', 'DKK', 'The yearly rate table (satser) for 2024, 2024 level of Barnets lov § 87, stk. 3, as collected in DOMAIN.md § 2', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-r-117-2016', 'atp_recipient_from_117h', '2016-01-01', '94.65', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), in force 2016-2023: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-m-117-2016', 'atp_municipality_from_117h', '2016-01-01', '189.35', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), in force 2016-2023: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-r-78-2016', 'atp_recipient_from_78h', '2016-01-01', '63.10', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), in force 2016-2023: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-m-78-2016', 'atp_municipality_from_78h', '2016-01-01', '126.25', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), in force 2016-2023: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-r-39-2016', 'atp_recipient_from_39h', '2016-01-01', '31.55', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), in force 2016-2023: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-m-39-2016', 'atp_municipality_from_39h', '2016-01-01', '63.10', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), in force 2016-2023: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-r-0-2016', 'atp_recipient_from_0h', '2016-01-01', '0.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), in force 2016-2023: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-m-0-2016', 'atp_municipality_from_0h', '2016-01-01', '0.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), in force 2016-2023: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-r-117-2024', 'atp_recipient_from_117h', '2024-01-01', '99.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), from 1 January 2024: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-m-117-2024', 'atp_municipality_from_117h', '2024-01-01', '198.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), from 1 January 2024: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-r-78-2024', 'atp_recipient_from_78h', '2024-01-01', '66.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), from 1 January 2024: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-m-78-2024', 'atp_municipality_from_78h', '2024-01-01', '132.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), from 1 January 2024: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-r-39-2024', 'atp_recipient_from_39h', '2024-01-01', '33.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), from 1 January 2024: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-m-39-2024', 'atp_municipality_from_39h', '2024-01-01', '66.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), from 1 January 2024: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-r-0-2024', 'atp_recipient_from_0h', '2024-01-01', '0.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), from 1 January 2024: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-atp-m-0-2024', 'atp_municipality_from_0h', '2024-01-01', '0.00', 'DKK', 'ATP, the contribution table for recipients of lost-earnings compensation (ATP-loven § 2 a, stk. 5), from 1 January 2024: the published amounts', 'migration', CURRENT_TIMESTAMP),
 ('seed-le-pension', 'lost_earnings_pension_rate', '2011-01-01', '10', 'percent', 'Vejledningen pkt. 157 b; Ankestyrelsen 4-18: pension 10 % of the gross benefit, at most the previous employer''s contribution', 'migration', CURRENT_TIMESTAMP),
 ('seed-normal-week', 'normal_week_hours', '2011-01-01', '37', 'hours', 'Vejledningen pkt. 157 b; Ankestyrelsens principafgørelse 15-09: the normal working week of 37 hours', 'migration', CURRENT_TIMESTAMP);
