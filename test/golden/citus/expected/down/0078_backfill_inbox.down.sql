-- rlsgen: {"step":"backfill","stage":"prepare","table":"public.inbox"}
-- Rollback of the backfill of public.inbox: the filled values go with the
-- column (its rollback drops it); only the resume point is forgotten here.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DELETE FROM rlsgen.backfill_progress WHERE table_name = 'public.inbox';
