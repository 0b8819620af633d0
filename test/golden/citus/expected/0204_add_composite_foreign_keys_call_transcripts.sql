-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.call_transcripts"}
-- public.call_transcripts: composite foreign keys (company_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   call_id -> public.calls
--
-- Locks: SHARE ROW EXCLUSIVE on public.call_transcripts and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.call_transcripts ADD CONSTRAINT call_transcripts_call_id_tenant_fkey
  FOREIGN KEY (company_id, call_id) REFERENCES public.calls (company_id, id) NOT VALID;
