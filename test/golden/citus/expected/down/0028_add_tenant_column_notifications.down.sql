-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.notifications"}
-- Rollback: public.notifications back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.notifications;
DROP FUNCTION IF EXISTS rlsgen.fill_public_notifications_company_id();
ALTER TABLE public.notifications DROP CONSTRAINT IF EXISTS notifications_company_id_fkey;
ALTER TABLE public.notifications DROP COLUMN IF EXISTS company_id;
