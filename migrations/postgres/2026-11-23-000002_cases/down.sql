DROP TABLE payables;
DROP TABLE payments;
DROP TABLE expenses;
DROP TABLE budget_versions;
DROP TABLE budget_posts;
DROP TABLE budget_years;
DROP TABLE cases;
DROP TABLE rates;
