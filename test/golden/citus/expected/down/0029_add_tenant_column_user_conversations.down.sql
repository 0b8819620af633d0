-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.user_conversations"}
-- Rollback: public.user_conversations back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.user_conversations;
DROP FUNCTION IF EXISTS rlsgen.fill_public_user_conversations_company_id();
ALTER TABLE public.user_conversations DROP CONSTRAINT IF EXISTS user_conversations_company_id_fkey;
ALTER TABLE public.user_conversations DROP COLUMN IF EXISTS company_id;
