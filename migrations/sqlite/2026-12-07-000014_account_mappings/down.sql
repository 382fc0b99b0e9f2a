DROP TABLE account_mappings;
DROP TABLE account_mapping_versions;
