-- PostgreSQL only (its per-row foreign keys on expenses and payables become set-based checks);
-- SQLite keeps its foreign keys, checked in C. Kept so both backends number their migrations alike.
SELECT 1;
