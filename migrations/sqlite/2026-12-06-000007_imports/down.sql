DROP INDEX expenses_import;
ALTER TABLE expenses DROP COLUMN import_id;
DROP TABLE import_issues;
DROP TABLE imports;
