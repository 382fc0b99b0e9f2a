DROP INDEX journal_entries_date_seq;
