-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.email_templates"}
-- Rollback: drop the foreign key of public.email_templates.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.email_templates DROP CONSTRAINT IF EXISTS email_templates_company_id_fkey;
