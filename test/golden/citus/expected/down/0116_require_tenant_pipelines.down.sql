-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.pipelines"}
-- Rollback: drop the NOT NULL check of public.pipelines.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.pipelines DROP CONSTRAINT IF EXISTS pipelines_company_id_not_null_check;
