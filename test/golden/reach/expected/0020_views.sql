-- rlsgen: {"step":"views","stage":"enforce"}
-- Views the application reads. A view reads its tables with its owner's
-- rights unless it is security_invoker (PostgreSQL 15+): owned by a role that
-- bypasses row-level security, it would show every tenant's rows. Each view
-- below is made security_invoker, so it reads its tables with the rights and
-- under the policies of whoever queries it, then granted to the application
-- role. PostgreSQL 13 and 14 have no security_invoker: there the view stays
-- ungranted (a notice says so) until the server is upgraded and this file's
-- successor runs.
--   public.customer_list: the store's customer screen
--   public."Payment Totals"
--
-- Locks: ALTER VIEW ... SET takes an ACCESS EXCLUSIVE lock on the view
-- (catalog only, under lock_timeout); the grants take none.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- Each view's privileges and options, saved for the rollback (rlsgen.saved_state, made by the bootstrap).
INSERT INTO rlsgen.saved_state (migration, kind, object, detail, value)
SELECT '0020_views', 'view', v.name, d.detail, CASE d.detail WHEN 'acl' THEN c.relacl::text ELSE c.reloptions::text END
  FROM (VALUES ('public.customer_list'), ('public."Payment Totals"')) AS v(name)
  JOIN pg_catalog.pg_class AS c ON c.oid = v.name::regclass
  CROSS JOIN (VALUES ('acl'), ('options')) AS d(detail)
ON CONFLICT DO NOTHING;

REVOKE ALL ON public.customer_list FROM rental_app;
DO $rlsgen$
BEGIN
  IF pg_catalog.current_setting('server_version_num')::integer >= 150000 THEN
    ALTER VIEW public.customer_list SET (security_invoker = true);
    GRANT SELECT ON public.customer_list TO rental_app;
  ELSE
    RAISE NOTICE 'rlsgen: view % stays ungranted: PostgreSQL % has no security_invoker, and the view would read every tenant''s rows with its owner''s rights',
      'public.customer_list', pg_catalog.current_setting('server_version');
  END IF;
END
$rlsgen$;
REVOKE ALL ON public."Payment Totals" FROM rental_app;
DO $rlsgen$
BEGIN
  IF pg_catalog.current_setting('server_version_num')::integer >= 150000 THEN
    ALTER VIEW public."Payment Totals" SET (security_invoker = true);
    GRANT SELECT ON public."Payment Totals" TO rental_app;
  ELSE
    RAISE NOTICE 'rlsgen: view % stays ungranted: PostgreSQL % has no security_invoker, and the view would read every tenant''s rows with its owner''s rights',
      'public."Payment Totals"', pg_catalog.current_setting('server_version');
  END IF;
END
$rlsgen$;
