-- Not reversible without losing reopened settlements: restore from a backup.
SELECT 1;
