-- Hot accounts. Every payment posts to the bank (1000), every grant and approval to the
-- appropriation memo (9000); these and the other unconstrained accounts need no check under a
-- lock, so a posting adds to one of a few stripes of the account's totals (picked by its database
-- connection) instead of its one row. Concurrent postings to one hot account then wait on each
-- other only when they share a stripe. An account's totals are its row plus the sum of its
-- stripes, read together (still O(1): at most 16 rows per account).
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

-- A stripe only grows, like the postings it sums, and is never removed.
CREATE FUNCTION stripe_only_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.account_id <> OLD.account_id OR NEW.stripe <> OLD.stripe
       OR NEW.municipality <> OLD.municipality
       OR NEW.debits < OLD.debits OR NEW.credits < OLD.credits THEN
        RAISE EXCEPTION 'UPDATE on account_stripes refused: running totals only grow; correct by a reversal'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER account_stripes_only_grow BEFORE UPDATE ON account_stripes
    FOR EACH ROW EXECUTE FUNCTION stripe_only_grows();
CREATE TRIGGER account_stripes_no_delete BEFORE DELETE ON account_stripes
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_edit();

-- An account's constraint is fixed when it is opened: whether its totals may live in stripes
-- depends on it, and a constraint set later would not have been checked on the past postings.
CREATE FUNCTION account_constraint_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.balance_constraint <> OLD.balance_constraint THEN
        RAISE EXCEPTION 'UPDATE on accounts refused: an account''s balance constraint is fixed when it is opened'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER accounts_constraint_fixed BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION account_constraint_fixed();
