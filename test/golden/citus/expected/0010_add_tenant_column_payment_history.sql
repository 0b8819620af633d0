-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.payment_history"}
-- public.payment_history: the tenant column company_id exists already; new rows take
-- the tenant from the session variable app.company_id.
--
-- Locks: ACCESS EXCLUSIVE on public.payment_history for catalog changes only, no
-- table rewrite or scan: the column is added without a default (a default
-- would be evaluated once and stamped on every existing row) and the default
-- is set in a second statement, for new rows only. The tenant index
-- and NOT NULL come after the backfill, so that filling it is a non-key update.
-- Every statement runs under lock_timeout; rlsgen apply retries on timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment_history ALTER COLUMN company_id SET DEFAULT NULLIF(current_setting('app.company_id', true), '')::uuid;
