-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.document_signatures"}
-- public.document_signatures: composite foreign keys (company_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   document_id -> public.documents
--
-- Locks: SHARE ROW EXCLUSIVE on public.document_signatures and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.document_signatures ADD CONSTRAINT document_signatures_document_id_tenant_fkey
  FOREIGN KEY (company_id, document_id) REFERENCES public.documents (company_id, id) NOT VALID;
