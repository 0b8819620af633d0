-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.templates"}
-- public.templates: validate the constraints added NOT VALID earlier
-- (the foreign key to public.organizations).
--
-- Locks: SHARE UPDATE EXCLUSIVE on public.templates (and ROW SHARE on the
-- referenced table) for the scan: reads and writes continue.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.templates VALIDATE CONSTRAINT templates_organization_id_fkey;
