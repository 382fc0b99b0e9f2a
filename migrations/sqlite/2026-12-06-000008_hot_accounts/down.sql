DROP TABLE account_stripes;
DROP TRIGGER accounts_constraint_fixed;
