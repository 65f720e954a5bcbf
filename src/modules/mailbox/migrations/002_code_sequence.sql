-- Tracking-code numbers from a sequence: concurrent reports no longer queue on one counter row.
-- Numbers keep growing across years (PA-2026-000123, then PA-2027-000124…); gaps are allowed.
CREATE SEQUENCE mailbox_code_seq;
SELECT setval('mailbox_code_seq', GREATEST((SELECT max(n) FROM mailbox_counters), (SELECT count(*) FROM mailbox_reports), 1),
  (SELECT count(*) FROM mailbox_reports) > 0);
