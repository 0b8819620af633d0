-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.flow_logs"}
-- Rollback: drop the foreign key of public.flow_logs.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.flow_logs DROP CONSTRAINT IF EXISTS flow_logs_organization_id_fkey;
