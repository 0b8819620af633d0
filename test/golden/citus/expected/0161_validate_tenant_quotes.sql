-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.quotes"}
-- public.quotes: validate the constraints added NOT VALID earlier
-- (the foreign key to public.companies and the NOT NULL check).
--
-- Locks: SHARE UPDATE EXCLUSIVE on public.quotes (and ROW SHARE on the
-- referenced table) for the scan: reads and writes continue.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.quotes VALIDATE CONSTRAINT quotes_company_id_fkey;
ALTER TABLE public.quotes VALIDATE CONSTRAINT quotes_company_id_not_null_check;
