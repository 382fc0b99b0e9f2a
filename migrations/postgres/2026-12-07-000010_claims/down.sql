-- Not reversible without losing proposed claims and hearings: restore from a backup.
SELECT 1;
