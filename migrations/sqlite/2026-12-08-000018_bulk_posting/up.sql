-- Fewer indexes for every entry and posting to pass through, none a query needs:
-- journal_entries_date_seq (municipality, effective_date, seq) serves whatever the narrower
-- (municipality, effective_date) served, and every query by account names its municipality, so
-- postings_muni_account_date (municipality, account_id, effective_date, debit, credit) serves it.
DROP INDEX journal_entries_muni_date;
DROP INDEX postings_account_date;
