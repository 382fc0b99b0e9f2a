DROP INDEX expenses_import;
ALTER TABLE expenses DROP COLUMN import_id;
DROP TABLE import_issues;
DROP TABLE imports;
DROP FUNCTION imports_final();
DROP FUNCTION import_issues_written_once();
