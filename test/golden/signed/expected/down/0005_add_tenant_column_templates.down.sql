-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.templates"}
-- Rollback: public.templates back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.templates DROP CONSTRAINT IF EXISTS templates_organization_id_fkey;
ALTER TABLE public.templates DROP COLUMN IF EXISTS organization_id;
