-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.emails"}
-- Rollback: drop the composite foreign keys of public.emails.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.emails DROP CONSTRAINT IF EXISTS emails_owner_id_tenant_fkey;
ALTER TABLE public.emails DROP CONSTRAINT IF EXISTS emails_contact_id_tenant_fkey;
