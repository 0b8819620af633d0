-- rlsgen: {"step":"validate-reference-guards","stage":"enforce","table":"public.campaigns"}
-- public.campaigns: check the rows written before its reference triggers existed.
-- A row that points at another tenant's row of a shared table stops the
-- migration with a count (rlsgen audit lists them).
--
-- Locks: none beyond the scan's own (ACCESS SHARE): reads and writes continue
-- during it, and new rows are checked by the triggers. Row security is off for
-- the count: where policies would hide rows from this role (a table owner
-- under FORCE), the count fails instead of counting only what it sees.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;
SET LOCAL row_security = off;

DO $rlsgen$
DECLARE
  crossing bigint;
BEGIN
  SELECT count(*) INTO crossing
    FROM public.campaigns AS c
    JOIN public.templates AS p ON p.id = c.template_id
   WHERE p.organization_id IS NOT NULL AND p.organization_id IS DISTINCT FROM c.organization_id;
  IF crossing > 0 THEN
    RAISE EXCEPTION 'rlsgen: % row(s) of % reference a row of % that belongs to another tenant (column %)',
      crossing, 'public.campaigns', 'templates', 'template_id'
      USING HINT = 'rlsgen audit lists them; correct the references (or point them at a global row), then apply again.';
  END IF;
END
$rlsgen$;
