ALTER TABLE decisions DROP COLUMN municipality_name;
ALTER TABLE decisions DROP COLUMN decided_by_name;
ALTER TABLE settings DROP COLUMN municipality_name;
