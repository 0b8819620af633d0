-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.twilio_settings"}
-- Rollback: drop the NOT NULL check of public.twilio_settings.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.twilio_settings DROP CONSTRAINT IF EXISTS twilio_settings_company_id_not_null_check;
