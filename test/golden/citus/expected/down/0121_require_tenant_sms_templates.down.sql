-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.sms_templates"}
-- Rollback: drop the NOT NULL check of public.sms_templates.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.sms_templates DROP CONSTRAINT IF EXISTS sms_templates_company_id_not_null_check;
