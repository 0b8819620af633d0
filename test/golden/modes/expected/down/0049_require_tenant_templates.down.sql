-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.templates"}
-- Rollback: drop the foreign key of public.templates.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.templates DROP CONSTRAINT IF EXISTS templates_organization_id_fkey;
