-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.notifications"}
-- Rollback: company_id of public.notifications nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.notifications ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.notifications ADD CONSTRAINT notifications_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.notifications VALIDATE CONSTRAINT notifications_company_id_not_null;
