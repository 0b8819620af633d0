-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.email_templates"}
-- public.email_templates: validate the constraints added NOT VALID earlier
-- (the foreign key to public.companies).
--
-- Locks: SHARE UPDATE EXCLUSIVE on public.email_templates (and ROW SHARE on the
-- referenced table) for the scan: reads and writes continue.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.email_templates VALIDATE CONSTRAINT email_templates_company_id_fkey;
