-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.campaigns"}
-- public.campaigns: composite foreign keys (organization_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   created_by -> public.users
--
-- Locks: SHARE ROW EXCLUSIVE on public.campaigns and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.campaigns ADD CONSTRAINT campaigns_created_by_tenant_fkey
  FOREIGN KEY (organization_id, created_by) REFERENCES public.users (organization_id, id) NOT VALID;
