DROP TABLE account_stripes;
DROP FUNCTION stripe_only_grows();
DROP TRIGGER accounts_constraint_fixed ON accounts;
DROP FUNCTION account_constraint_fixed();
