-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.user_conversations","index":["public","user_conversations_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.user_conversations.
DROP INDEX CONCURRENTLY IF EXISTS public.user_conversations_company_id_id_key;
