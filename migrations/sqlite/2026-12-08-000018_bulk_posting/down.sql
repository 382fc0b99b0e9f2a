CREATE INDEX journal_entries_muni_date ON journal_entries (municipality, effective_date);
CREATE INDEX postings_account_date ON postings (account_id, effective_date);
