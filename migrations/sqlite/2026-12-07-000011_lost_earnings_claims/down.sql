-- Not reversible without losing the claims' causes: restore from a backup.
SELECT 1;
