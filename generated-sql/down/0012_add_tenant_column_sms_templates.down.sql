-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.sms_templates"}
-- Rollback: public.sms_templates back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.sms_templates ALTER COLUMN company_id DROP DEFAULT;
