-- rlsgen: {"step":"validate-composite-foreign-keys","stage":"enforce","table":"public.workflow_executions"}
-- public.workflow_executions: validate its composite foreign keys. A row that points at
-- another tenant's row stops the migration with a count (rlsgen audit lists
-- them) instead of PostgreSQL's first-violation message.
--
-- Locks: SHARE UPDATE EXCLUSIVE on public.workflow_executions, ROW SHARE on the referenced
-- tables: reads and writes continue during the scans.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

DO $rlsgen$
DECLARE
  crossing bigint;
BEGIN
  SELECT count(*) INTO crossing
    FROM public.workflow_executions AS c
   WHERE c.company_id IS NOT NULL AND c.workflow_id IS NOT NULL
     AND NOT EXISTS (
       SELECT FROM public.workflows AS p
        WHERE p.company_id = c.company_id AND p.id = c.workflow_id);
  IF crossing > 0 THEN
    RAISE EXCEPTION 'rlsgen: % row(s) of % reference a row of % that belongs to another tenant (column %)',
      crossing, 'public.workflow_executions', 'public.workflows', 'workflow_id'
      USING HINT = 'rlsgen audit lists them; correct the references, then apply again.';
  END IF;
END
$rlsgen$;
ALTER TABLE public.workflow_executions VALIDATE CONSTRAINT workflow_executions_workflow_id_tenant_fkey;
