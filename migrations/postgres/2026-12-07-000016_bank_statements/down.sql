DROP TABLE bank_match_movements;
DROP TABLE bank_matches;
DROP TABLE bank_statement_lines;
DROP TABLE bank_statements;
ALTER TABLE settings DROP COLUMN bank_match_window_days;
DROP FUNCTION bank_record_immutable(); DROP FUNCTION bank_match_undo_only();
