-- rlsgen: {"step":"add-reference-guards","stage":"enforce","table":"public.campaigns"}
-- public.campaigns: its keys into shared tables stay single-column (a composite
-- key would refuse the shared table's global rows, whose tenant is NULL); a
-- trigger keeps each within the row's own tenant:
--   template_id -> public.templates
-- The rows written before it are checked by the next migration.
--
-- Locks: SHARE ROW EXCLUSIVE on public.campaigns for each trigger, a catalog
-- change only (no scan).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- template_id -> public.templates: a global row (no tenant), or one of the row's own tenant.
-- The function runs as the writer, under its policies; the same error as a
-- missing row for another tenant's, so the error tells nothing of its ids.
CREATE OR REPLACE FUNCTION rlsgen.guard_campaigns_template_id_ffd4d2a9() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $rlsgen$
BEGIN
  IF NEW.template_id IS NOT NULL AND NOT EXISTS (
    SELECT FROM public.templates AS p
     WHERE p.id = NEW.template_id
       AND (p.organization_id IS NULL OR p.organization_id = NEW.organization_id)
  ) THEN
    RAISE EXCEPTION USING
      ERRCODE = 'foreign_key_violation',
      MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s"', TG_TABLE_NAME, 'campaigns_template_id_tenant_guard'),
      DETAIL = format('Key (%s)=(%s) is not present in table "%s".', 'template_id', NEW.template_id, 'templates'),
      CONSTRAINT = 'campaigns_template_id_tenant_guard',
      SCHEMA = TG_TABLE_SCHEMA,
      TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen.guard_campaigns_template_id_ffd4d2a9() FROM PUBLIC;
DROP TRIGGER IF EXISTS rlsgen_guard_template_id ON public.campaigns;
CREATE TRIGGER rlsgen_guard_template_id BEFORE INSERT OR UPDATE OF template_id, organization_id ON public.campaigns
  FOR EACH ROW EXECUTE FUNCTION rlsgen.guard_campaigns_template_id_ffd4d2a9();
