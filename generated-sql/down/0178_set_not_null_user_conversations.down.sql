-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.user_conversations"}
-- Rollback: company_id of public.user_conversations nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.user_conversations ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.user_conversations ADD CONSTRAINT user_conversations_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.user_conversations VALIDATE CONSTRAINT user_conversations_company_id_not_null;
