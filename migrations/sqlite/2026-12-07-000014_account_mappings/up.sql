-- The municipality's mapping of ledger accounts to the authorised municipal chart of accounts
-- (function d.dd.dd, dranst d, art d.d) for the ERP export (issue 23). Versioned: each change
-- is a whole new version with who and when; a racing change of the same version collides on
-- the version's key.
CREATE TABLE account_mapping_versions (
    municipality TEXT NOT NULL REFERENCES municipalities(code),
    version INTEGER NOT NULL CHECK (version > 0),
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality, version)
);
CREATE TABLE account_mappings (
    municipality TEXT NOT NULL,
    version INTEGER NOT NULL,
    account_code TEXT NOT NULL,
    function TEXT NOT NULL CHECK (length(function) = 7),
    dranst TEXT NOT NULL CHECK (length(dranst) = 1),
    art TEXT NOT NULL CHECK (length(art) = 3),
    PRIMARY KEY (municipality, version, account_code),
    FOREIGN KEY (municipality, version) REFERENCES account_mapping_versions (municipality, version)
);
