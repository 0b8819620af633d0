-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.bulk_email_analytics"}
-- public.bulk_email_analytics: composite foreign keys (company_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   campaign_id -> public.bulk_email_campaigns
--
-- Locks: SHARE ROW EXCLUSIVE on public.bulk_email_analytics and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.bulk_email_analytics ADD CONSTRAINT bulk_email_analytics_campaign_id_tenant_fkey
  FOREIGN KEY (company_id, campaign_id) REFERENCES public.bulk_email_campaigns (company_id, id) NOT VALID;
