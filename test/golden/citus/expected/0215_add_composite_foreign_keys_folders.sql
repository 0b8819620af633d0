-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.folders"}
-- public.folders: composite foreign keys (company_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   owner_id -> public.users
--   parent_id -> public.folders
--
-- Locks: SHARE ROW EXCLUSIVE on public.folders and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.folders ADD CONSTRAINT folders_owner_id_tenant_fkey
  FOREIGN KEY (company_id, owner_id) REFERENCES public.users (company_id, id) NOT VALID;
ALTER TABLE public.folders ADD CONSTRAINT folders_parent_id_tenant_fkey
  FOREIGN KEY (company_id, parent_id) REFERENCES public.folders (company_id, id) NOT VALID;
