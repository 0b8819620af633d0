-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.user_conversations"}
-- public.user_conversations: composite foreign keys (company_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   user_id -> public.users
--   contact_id -> public.contacts
--
-- Locks: SHARE ROW EXCLUSIVE on public.user_conversations and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.user_conversations ADD CONSTRAINT user_conversations_user_id_tenant_fkey
  FOREIGN KEY (company_id, user_id) REFERENCES public.users (company_id, id) NOT VALID;
ALTER TABLE public.user_conversations ADD CONSTRAINT user_conversations_contact_id_tenant_fkey
  FOREIGN KEY (company_id, contact_id) REFERENCES public.contacts (company_id, id) NOT VALID;
