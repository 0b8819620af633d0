-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.deals"}
-- public.deals: composite foreign keys (company_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   owner_id -> public.users
--   pipeline_id -> public.pipelines
--   contact_id -> public.contacts
--
-- Locks: SHARE ROW EXCLUSIVE on public.deals and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.deals ADD CONSTRAINT deals_owner_id_tenant_fkey
  FOREIGN KEY (company_id, owner_id) REFERENCES public.users (company_id, id) NOT VALID;
ALTER TABLE public.deals ADD CONSTRAINT deals_pipeline_id_tenant_fkey
  FOREIGN KEY (company_id, pipeline_id) REFERENCES public.pipelines (company_id, id) NOT VALID;
ALTER TABLE public.deals ADD CONSTRAINT deals_contact_id_tenant_fkey
  FOREIGN KEY (company_id, contact_id) REFERENCES public.contacts (company_id, id) NOT VALID;
