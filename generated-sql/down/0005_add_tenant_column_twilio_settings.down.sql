-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.twilio_settings"}
-- Rollback: public.twilio_settings back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.twilio_settings ALTER COLUMN company_id DROP DEFAULT;
