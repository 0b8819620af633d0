-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.documents","index":["public","documents_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- public.documents: unique index on (company_id, primary key).
-- It serves every tenant-filtered query, and composite foreign keys
-- (tenant, id) from child tables reference it. Built after the backfill:
-- with a unique index on it, filling the column would be a key update (no
-- HOT, an index entry per row, and row locks that conflict with the KEY SHARE
-- locks of the application's foreign-key checks).
--
-- Locks: SHARE UPDATE EXCLUSIVE on public.documents, which blocks neither reads
-- nor writes; CONCURRENTLY cannot run in a transaction block, so this file
-- holds this one statement and postgres-migrations runs it outside a
-- transaction. For the same reason it cannot SET its own timeouts: rlsgen
-- apply sets lock_timeout on the session, and first drops an invalid index of
-- this name left by an interrupted build (by hand: if pg_index.indisvalid is
-- false for public.documents_company_id_id_key, DROP INDEX CONCURRENTLY it and run this file again).
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS documents_company_id_id_key
  ON public.documents (company_id, id);
