-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.performance_alerts"}
-- public.performance_alerts: composite foreign keys (company_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   user_id -> public.users
--
-- Locks: SHARE ROW EXCLUSIVE on public.performance_alerts and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.performance_alerts ADD CONSTRAINT performance_alerts_user_id_tenant_fkey
  FOREIGN KEY (company_id, user_id) REFERENCES public.users (company_id, id) NOT VALID;
