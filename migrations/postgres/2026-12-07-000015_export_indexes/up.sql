-- The plain-text export reads the journal in date order a page at a time (keyset on date and
-- voucher number): the index lets each page seek to its start.
CREATE INDEX journal_entries_date_seq ON journal_entries (municipality, effective_date, seq);
