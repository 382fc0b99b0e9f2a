-- An import writes two expenses and two payables per line of a payroll file. PostgreSQL's
-- per-row foreign-key triggers ran six lookup queries per line (an expense's case, budget year,
-- post and import; a payable's case and expense), most of an import's time on PostgreSQL. They
-- are replaced, as 000018 did for entries and postings, by one set-based check per statement,
-- which is also stricter than the keys were: an expense's case, budget year, post and import are
-- of its municipality, its year is its case's and its post is its year's; a payable's case is of
-- its municipality and its expense is its case's. What the keys also did, keep a row referred to
-- from being deleted or re-pointed, the triggers below do: the service never does either.
ALTER TABLE expenses DROP CONSTRAINT expenses_case_id_fkey;
ALTER TABLE expenses DROP CONSTRAINT expenses_budget_year_id_fkey;
ALTER TABLE expenses DROP CONSTRAINT expenses_post_id_fkey;
ALTER TABLE expenses DROP CONSTRAINT expenses_import_id_fkey;
ALTER TABLE payables DROP CONSTRAINT payables_case_id_fkey;
ALTER TABLE payables DROP CONSTRAINT payables_expense_id_fkey;

-- Lookups by primary key only (scalar subqueries), as in 000018: a transition table has no
-- statistics for the planner to choose a join on.
CREATE FUNCTION expenses_refer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT municipality, case_id, budget_year_id, post_id FROM new_expenses) n
               WHERE (SELECT c.municipality FROM cases c WHERE c.id = n.case_id) IS DISTINCT FROM n.municipality
                  OR (SELECT y.case_id FROM budget_years y WHERE y.id = n.budget_year_id) IS DISTINCT FROM n.case_id
                  OR (SELECT p.budget_year_id FROM budget_posts p WHERE p.id = n.post_id) IS DISTINCT FROM n.budget_year_id) THEN
        RAISE EXCEPTION 'insert on expenses refused: an expense names a case, budget year or post that does not exist in its municipality, case and year'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'expenses_case_id_fkey';
    END IF;
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT municipality, import_id FROM new_expenses WHERE import_id IS NOT NULL) n
               WHERE (SELECT i.municipality FROM imports i WHERE i.id = n.import_id) IS DISTINCT FROM n.municipality) THEN
        RAISE EXCEPTION 'insert on expenses refused: an expense names an import that does not exist in its municipality'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'expenses_import_id_fkey';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER expenses_refer AFTER INSERT ON expenses
REFERENCING NEW TABLE AS new_expenses FOR EACH STATEMENT EXECUTE FUNCTION expenses_refer();

CREATE FUNCTION payables_refer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT municipality, case_id FROM new_payables) n
               WHERE (SELECT c.municipality FROM cases c WHERE c.id = n.case_id) IS DISTINCT FROM n.municipality) THEN
        RAISE EXCEPTION 'insert on payables refused: a payable names a case that does not exist in its municipality'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'payables_case_id_fkey';
    END IF;
    IF EXISTS (SELECT 1 FROM new_payables n
               WHERE n.expense_id IS NOT NULL
                 AND (SELECT e.case_id FROM expenses e WHERE e.id = n.expense_id) IS DISTINCT FROM n.case_id) THEN
        RAISE EXCEPTION 'insert on payables refused: a payable names an expense that does not exist on its case'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'payables_expense_id_fkey';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER payables_refer AFTER INSERT ON payables
REFERENCING NEW TABLE AS new_payables FOR EACH STATEMENT EXECUTE FUNCTION payables_refer();

-- What an expense or a payable refers to is fixed when it is written.
CREATE FUNCTION references_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'UPDATE on % refused: what a row refers to is fixed when it is written', TG_TABLE_NAME;
END $$;
CREATE TRIGGER expenses_references_fixed BEFORE UPDATE OF municipality, case_id, budget_year_id, post_id, import_id ON expenses
FOR EACH ROW WHEN (OLD.municipality IS DISTINCT FROM NEW.municipality OR OLD.case_id IS DISTINCT FROM NEW.case_id
    OR OLD.budget_year_id IS DISTINCT FROM NEW.budget_year_id OR OLD.post_id IS DISTINCT FROM NEW.post_id
    OR OLD.import_id IS DISTINCT FROM NEW.import_id)
EXECUTE FUNCTION references_fixed();
CREATE TRIGGER payables_references_fixed BEFORE UPDATE OF municipality, case_id, expense_id ON payables
FOR EACH ROW WHEN (OLD.municipality IS DISTINCT FROM NEW.municipality OR OLD.case_id IS DISTINCT FROM NEW.case_id
    OR OLD.expense_id IS DISTINCT FROM NEW.expense_id)
EXECUTE FUNCTION references_fixed();
CREATE TRIGGER cases_references_fixed BEFORE UPDATE OF id, municipality ON cases
FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.municipality IS DISTINCT FROM NEW.municipality)
EXECUTE FUNCTION references_fixed();
CREATE TRIGGER budget_years_references_fixed BEFORE UPDATE OF id, case_id ON budget_years
FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.case_id IS DISTINCT FROM NEW.case_id)
EXECUTE FUNCTION references_fixed();
-- An account's postings are checked against its municipality when they are written (000018).
CREATE TRIGGER accounts_references_fixed BEFORE UPDATE OF id, municipality ON accounts
FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.municipality IS DISTINCT FROM NEW.municipality)
EXECUTE FUNCTION references_fixed();
CREATE TRIGGER budget_posts_references_fixed BEFORE UPDATE OF id, budget_year_id ON budget_posts
FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.budget_year_id IS DISTINCT FROM NEW.budget_year_id)
EXECUTE FUNCTION references_fixed();

-- Nothing an expense or a payable refers to is ever deleted (imports already refuse it).
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases FOR EACH ROW EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER budget_years_no_delete BEFORE DELETE ON budget_years FOR EACH ROW EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER budget_posts_no_delete BEFORE DELETE ON budget_posts FOR EACH ROW EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER expenses_no_delete BEFORE DELETE ON expenses FOR EACH ROW EXECUTE FUNCTION refuse_delete();
