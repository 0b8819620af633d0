-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.phone_numbers"}
-- Rollback: public.phone_numbers back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.phone_numbers;
DROP FUNCTION IF EXISTS rlsgen.fill_public_phone_numbers_company_id();
ALTER TABLE public.phone_numbers ALTER COLUMN company_id DROP DEFAULT;
