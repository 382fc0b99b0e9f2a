-- Lost earnings paid for months a later end or change shows were not due become a proposed claim
-- per decision (issue 21), never a negative line against the parent's current pay. The run keeps
-- those months as information lines pointing at the claim; the claim names its cause.
ALTER TABLE clawbacks ADD COLUMN cause TEXT CHECK (cause IN ('case_ended', 'changed'));
ALTER TABLE clawbacks ADD COLUMN cause_decision_id TEXT REFERENCES decisions(id);
ALTER TABLE payroll_lines ADD COLUMN clawback_id TEXT REFERENCES clawbacks(id);
-- The days a family has to answer a hearing, a municipal setting (default 14).
ALTER TABLE settings ADD COLUMN hearing_days INTEGER NOT NULL DEFAULT 14 CHECK (hearing_days BETWEEN 7 AND 90);
