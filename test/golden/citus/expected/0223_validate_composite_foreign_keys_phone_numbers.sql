-- rlsgen: {"step":"validate-composite-foreign-keys","stage":"enforce","table":"public.phone_numbers"}
-- public.phone_numbers: validate its composite foreign keys. A row that points at
-- another tenant's row stops the migration with a count (rlsgen audit lists
-- them) instead of PostgreSQL's first-violation message.
--
-- Locks: SHARE UPDATE EXCLUSIVE on public.phone_numbers, ROW SHARE on the referenced
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
    FROM public.phone_numbers AS c
   WHERE c.company_id IS NOT NULL AND c.user_id IS NOT NULL
     AND NOT EXISTS (
       SELECT FROM public.users AS p
        WHERE p.company_id = c.company_id AND p.id = c.user_id);
  IF crossing > 0 THEN
    RAISE EXCEPTION 'rlsgen: % row(s) of % reference a row of % that belongs to another tenant (column %)',
      crossing, 'public.phone_numbers', 'public.users', 'user_id'
      USING HINT = 'rlsgen audit lists them; correct the references, then apply again.';
  END IF;
END
$rlsgen$;
ALTER TABLE public.phone_numbers VALIDATE CONSTRAINT phone_numbers_user_id_tenant_fkey;
