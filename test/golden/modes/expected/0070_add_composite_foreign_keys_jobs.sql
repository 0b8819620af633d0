-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.jobs"}
-- public.jobs: composite foreign keys (organization_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   campaign_id -> public.campaigns
--
-- Locks: SHARE ROW EXCLUSIVE on public.jobs and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.jobs ADD CONSTRAINT jobs_campaign_id_tenant_fkey
  FOREIGN KEY (organization_id, campaign_id) REFERENCES public.campaigns (organization_id, id) NOT VALID;
