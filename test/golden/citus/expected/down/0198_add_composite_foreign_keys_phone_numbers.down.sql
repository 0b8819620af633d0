-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.phone_numbers"}
-- Rollback: drop the composite foreign keys of public.phone_numbers.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.phone_numbers DROP CONSTRAINT IF EXISTS phone_numbers_user_id_tenant_fkey;
