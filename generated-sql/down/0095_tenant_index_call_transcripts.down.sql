-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.call_transcripts","index":["public","call_transcripts_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.call_transcripts.
DROP INDEX CONCURRENTLY IF EXISTS public.call_transcripts_company_id_tenant_idx;
