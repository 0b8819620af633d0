-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.pipelines"}
-- Rollback: public.pipelines back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.pipelines ALTER COLUMN company_id DROP DEFAULT;
