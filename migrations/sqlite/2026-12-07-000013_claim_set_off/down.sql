-- Not reversible without losing the set-offs: restore from a backup.
SELECT 1;
