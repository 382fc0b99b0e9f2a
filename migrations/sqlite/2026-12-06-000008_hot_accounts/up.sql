-- The same table as on PostgreSQL, so one schema serves both. SQLite has one writer at a time,
-- so postings keep adding to the account's own row and no stripe is ever written here.
CREATE TABLE account_stripes (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    stripe INTEGER NOT NULL,
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    debits BIGINT NOT NULL,
    credits BIGINT NOT NULL,
    PRIMARY KEY (account_id, stripe),
    CHECK (stripe >= 0 AND stripe < 16 AND debits >= 0 AND credits >= 0)
);
CREATE INDEX account_stripes_municipality ON account_stripes (municipality, account_id);
CREATE TRIGGER account_stripes_only_grow BEFORE UPDATE ON account_stripes
WHEN NEW.account_id <> OLD.account_id OR NEW.stripe <> OLD.stripe
  OR NEW.municipality <> OLD.municipality OR NEW.debits < OLD.debits OR NEW.credits < OLD.credits
BEGIN SELECT RAISE(ABORT, 'UPDATE on account_stripes refused: running totals only grow; correct by a reversal'); END;
CREATE TRIGGER account_stripes_no_delete BEFORE DELETE ON account_stripes
BEGIN SELECT RAISE(ABORT, 'DELETE on account_stripes refused: the books are append-only; correct by a reversal'); END;
-- An account's constraint is fixed when it is opened (see the PostgreSQL migration).
CREATE TRIGGER accounts_constraint_fixed BEFORE UPDATE OF balance_constraint ON accounts
WHEN NEW.balance_constraint <> OLD.balance_constraint
BEGIN SELECT RAISE(ABORT, 'UPDATE on accounts refused: an account''s balance constraint is fixed when it is opened'); END;
