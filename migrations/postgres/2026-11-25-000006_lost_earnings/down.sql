DELETE FROM rates WHERE id LIKE 'seed-le-%' OR id LIKE 'seed-atp-%' OR id = 'seed-normal-week';
ALTER TABLE decisions DROP CONSTRAINT decisions_kind_check;
ALTER TABLE decisions ADD CONSTRAINT decisions_kind_check CHECK (kind IN ('case_approved', 'budget_year_granted', 'budget_year_amended', 'budget_refused', 'expense_approved', 'expense_rejected', 'expense_refused', 'expense_annulled', 'case_ended', 'agreement_made', 'settlement_claimed', 'settlement_waived', 'settlement_offset'));
DROP TABLE payroll_lines;
DROP TABLE payroll_runs;
DROP TABLE lost_earnings_versions;
DROP TABLE lost_earnings;
DROP FUNCTION lost_earnings_immutable();
