-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.notifications"}
-- Rollback: drop the foreign key and the NOT NULL check of public.notifications.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.notifications DROP CONSTRAINT IF EXISTS notifications_company_id_not_null_check;
ALTER TABLE public.notifications DROP CONSTRAINT IF EXISTS notifications_company_id_fkey;
