DELETE FROM rates WHERE id LIKE 'seed-le-%' OR id LIKE 'seed-atp-%' OR id = 'seed-normal-week';
DROP TABLE payroll_lines;
DROP TABLE payroll_runs;
DROP TABLE lost_earnings_versions;
DROP TABLE lost_earnings;
