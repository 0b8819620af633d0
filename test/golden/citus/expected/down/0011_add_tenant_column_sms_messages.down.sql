-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.sms_messages"}
-- Rollback: public.sms_messages back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.sms_messages;
DROP FUNCTION IF EXISTS rlsgen.fill_public_sms_messages_company_id();
-- The default the column had before, or none.
DO $rlsgen$
DECLARE
  previous text;
BEGIN
  SELECT s.value INTO previous FROM rlsgen.saved_state AS s
   WHERE s.migration = '0011_add_tenant_column_sms_messages' AND s.kind = 'default' AND s.object = 'public.sms_messages';
  IF previous IS NULL THEN
    ALTER TABLE public.sms_messages ALTER COLUMN company_id DROP DEFAULT;
  ELSE
    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'public.sms_messages'::regclass, 'company_id', previous);
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0011_add_tenant_column_sms_messages' AND s.kind = 'default';
END
$rlsgen$;
