-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.sessions"}
-- Rollback: drop the foreign key of public.sessions.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.sessions DROP CONSTRAINT IF EXISTS sessions_company_id_fkey;
