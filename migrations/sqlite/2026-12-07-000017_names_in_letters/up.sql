-- The municipality's name as its letters and statements print it (null: the official name for
-- its code), and the name or title of who decided, from the token's `name` claim (null: none
-- was given; a letter then says "kommunens sagsbehandler", never the token's subject).
ALTER TABLE settings ADD COLUMN municipality_name TEXT;
ALTER TABLE decisions ADD COLUMN decided_by_name TEXT;
-- The municipality's name when the decision was made: a letter printed again reads as it was
-- sent, whatever the municipality is called later (null: decided before names were kept).
ALTER TABLE decisions ADD COLUMN municipality_name TEXT;
