-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.user_conversations"}
-- Rollback: drop the foreign key and the NOT NULL check of public.user_conversations.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.user_conversations DROP CONSTRAINT IF EXISTS user_conversations_company_id_not_null_check;
ALTER TABLE public.user_conversations DROP CONSTRAINT IF EXISTS user_conversations_company_id_fkey;
