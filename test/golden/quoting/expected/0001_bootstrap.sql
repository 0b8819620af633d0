-- rlsgen: {"step":"bootstrap","stage":"prepare"}
-- Bootstrap: the rlsgen schema, the roles the policies name, and the
-- procedure that backfills the tenant column in batches.
--
-- Locks: none on application tables.
-- Roles are cluster-wide: creation is guarded, so a role made by another
-- database's migration (or a concurrent run) is reused instead of failing.
-- The checks below stop the migration if the application role would bypass
-- row-level security (superuser, BYPASSRLS) or could switch to the
-- cross-tenant role by itself.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

CREATE SCHEMA IF NOT EXISTS rlsgen;
REVOKE ALL ON SCHEMA rlsgen FROM PUBLIC;
COMMENT ON SCHEMA rlsgen IS 'rlsgen: helper objects of the tenant isolation migration';

-- What a migration changes besides its own objects (the grants of rlsgen's
-- roles on tables, columns, sequences and schemas, row-level security flags,
-- a column's default or NOT NULL), saved by that migration before the change,
-- so that its rollback restores exactly what was there.
CREATE TABLE IF NOT EXISTS rlsgen.saved_state (
  migration text NOT NULL,
  kind text NOT NULL,
  object text NOT NULL,
  detail text NOT NULL DEFAULT '',
  value text,
  PRIMARY KEY (migration, kind, object, detail)
);

-- Sequences the tables' inserts use: owned by a column (serial, identity),
-- or called by a column default (nextval('...'::regclass)), owned by
-- anything or nothing: older schemas and pg_dump output often have such
-- unowned sequences, and an insert needs USAGE on them too.
CREATE OR REPLACE FUNCTION rlsgen.default_sequences(tables regclass[]) RETURNS SETOF regclass
  LANGUAGE sql STABLE
  SET search_path = pg_catalog
AS $rlsgen$
  SELECT d.objid::regclass
    FROM pg_depend AS d JOIN pg_class AS s ON s.oid = d.objid AND s.relkind = 'S'
   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
     AND d.refobjid = ANY (tables) AND d.deptype IN ('a', 'i')
  UNION
  SELECT d.refobjid::regclass
    FROM pg_attrdef AS ad
    JOIN pg_depend AS d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_class'::regclass
    JOIN pg_class AS s ON s.oid = d.refobjid AND s.relkind = 'S'
   WHERE ad.adrelid = ANY (tables)
$rlsgen$;

-- rlsgen.save_access records, under the migration's name, the privileges
-- `roles` hold on each relation (its columns, and the sequences its inserts
-- use) and schema, and each relation's row-level security flags.
CREATE OR REPLACE PROCEDURE rlsgen.save_access(migration text, relations regclass[], schemas name[], roles name[])
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
DECLARE
  grantees oid[] := ARRAY(SELECT r.oid FROM pg_roles AS r WHERE r.rolname = ANY (roles));
  grants text := 'SELECT COALESCE(json_agg(json_build_object(''role'', pg_get_userbyid(a.grantee), ''privilege'', a.privilege_type, ''grantable'', a.is_grantable) ORDER BY a.grantee, a.privilege_type), ''[]'')::text FROM aclexplode($1) AS a WHERE a.grantee = ANY ($2)';
  rel regclass;
  sch name;
  value text;
  col record;
BEGIN
  FOR rel IN
    SELECT r FROM unnest(relations) AS r
    UNION SELECT s FROM rlsgen.default_sequences(relations) AS s
  LOOP
    EXECUTE grants INTO value USING (SELECT c.relacl FROM pg_class AS c WHERE c.oid = rel), grantees;
    INSERT INTO rlsgen.saved_state (migration, kind, object, value)
    SELECT save_access.migration, 'privileges', format('%I.%I', n.nspname, c.relname), value
      FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE c.oid = rel
    ON CONFLICT DO NOTHING;
    INSERT INTO rlsgen.saved_state (migration, kind, object, value)
    SELECT save_access.migration, 'row_security', format('%I.%I', n.nspname, c.relname), concat_ws(',', c.relrowsecurity, c.relforcerowsecurity)
      FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE c.oid = rel AND c.relkind IN ('r', 'p')
    ON CONFLICT DO NOTHING;
    FOR col IN SELECT a.attname, a.attacl FROM pg_attribute AS a WHERE a.attrelid = rel AND a.attacl IS NOT NULL AND NOT a.attisdropped LOOP
      EXECUTE grants INTO value USING col.attacl, grantees;
      INSERT INTO rlsgen.saved_state (migration, kind, object, detail, value)
      SELECT save_access.migration, 'privileges', format('%I.%I', n.nspname, c.relname), col.attname, value
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE c.oid = rel
      ON CONFLICT DO NOTHING;
    END LOOP;
  END LOOP;
  FOR sch IN SELECT unnest(schemas) LOOP
    EXECUTE grants INTO value USING (SELECT s.nspacl FROM pg_namespace AS s WHERE s.nspname = sch), grantees;
    INSERT INTO rlsgen.saved_state (migration, kind, object, value)
    VALUES (save_access.migration, 'schema_privileges', sch, value) ON CONFLICT DO NOTHING;
  END LOOP;
END
$rlsgen$;

-- rlsgen.restore_access puts back what save_access recorded for the
-- migration: the roles' privileges exactly as they were (everything else
-- they hold there revoked) and the row-level security flags.
CREATE OR REPLACE PROCEDURE rlsgen.restore_access(migration text, roles name[])
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
DECLARE
  saved record;
  g record;
  target text;
  r name;
BEGIN
  FOR saved IN
    SELECT v.* FROM rlsgen.saved_state AS v
     WHERE v.migration = restore_access.migration AND v.kind IN ('privileges', 'schema_privileges', 'row_security')
       AND (v.kind = 'schema_privileges' OR to_regclass(v.object) IS NOT NULL)
     ORDER BY v.kind, v.object, v.detail
  LOOP
    IF saved.kind = 'row_security' THEN
      EXECUTE format('ALTER TABLE %s %s ROW LEVEL SECURITY, %s ROW LEVEL SECURITY', saved.object,
        CASE WHEN split_part(saved.value, ',', 1) = 'true' THEN 'ENABLE' ELSE 'DISABLE' END,
        CASE WHEN split_part(saved.value, ',', 2) = 'true' THEN 'FORCE' ELSE 'NO FORCE' END);
      CONTINUE;
    END IF;
    target := CASE
      WHEN saved.kind = 'schema_privileges' THEN format('SCHEMA %I', saved.object)
      WHEN (SELECT c.relkind FROM pg_class AS c WHERE c.oid = to_regclass(saved.object)) = 'S' THEN 'SEQUENCE ' || saved.object
      ELSE 'TABLE ' || saved.object
    END;
    IF saved.detail = '' THEN
      -- On a table this also revokes the roles' column privileges, restored by the rows that follow.
      FOR r IN SELECT rolname FROM pg_roles WHERE rolname = ANY (roles) LOOP
        EXECUTE format('REVOKE ALL ON %s FROM %I', target, r);
      END LOOP;
    END IF;
    FOR g IN SELECT * FROM json_to_recordset(saved.value::json) AS x(role name, privilege text, grantable boolean) LOOP
      EXECUTE format('GRANT %s%s ON %s TO %I%s', g.privilege,
        CASE WHEN saved.detail <> '' THEN format(' (%I)', saved.detail) ELSE '' END, target, g.role,
        CASE WHEN g.grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
  END LOOP;
  DELETE FROM rlsgen.saved_state AS v WHERE v.migration = restore_access.migration AND v.kind IN ('privileges', 'schema_privileges', 'row_security');
END
$rlsgen$;

-- The application role. NOLOGIN: grant it to the login your application
-- connects with (GRANT App "Role" TO your_app_login).
DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'App "Role"') THEN
    CREATE ROLE "App ""Role""" NOLOGIN NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object THEN
  NULL;  -- created by another session between the check and CREATE ROLE
END
$rlsgen$;
DO $rlsgen$
DECLARE
  r record;
BEGIN
  SELECT rolsuper, rolbypassrls INTO r FROM pg_catalog.pg_roles WHERE rolname = 'App "Role"';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'rlsgen: the application role % does not exist', 'App "Role"'
      USING HINT = 'create it, or set roles.app.create: true in the manifest';
  END IF;
  IF r.rolsuper OR r.rolbypassrls THEN
    RAISE EXCEPTION 'rlsgen: the application role % bypasses row-level security (superuser or BYPASSRLS)', 'App "Role"'
      USING HINT = 'policies never apply to such a role; use a role without those attributes';
  END IF;
END
$rlsgen$;

-- The cross-tenant role (reads and writes every tenant). Grant it to a separate login
-- used by super-admin tooling, never to the application role.
DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'user') THEN
    CREATE ROLE "user" NOLOGIN NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$rlsgen$;
DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'user') THEN
    RAISE EXCEPTION 'rlsgen: the cross-tenant role % does not exist', 'user';
  END IF;
  IF pg_catalog.pg_has_role('App "Role"', 'user', 'MEMBER') THEN
    RAISE EXCEPTION 'rlsgen: the application role % can switch to the cross-tenant role %', 'App "Role"', 'user'
      USING HINT = 'revoke the membership: the application must not be able to read other tenants by itself';
  END IF;
END
$rlsgen$;

CALL rlsgen.save_access('0001_bootstrap', ARRAY[]::regclass[], ARRAY['CRM Data']::name[], ARRAY['App "Role"', 'user']::name[]);
GRANT USAGE ON SCHEMA "CRM Data" TO "App ""Role""";
GRANT USAGE ON SCHEMA "CRM Data" TO "user";

-- One row per backfill under way: where an interrupted one resumes (the last
-- key it committed), how far it is, and its pacing. batch_size and
-- batch_pause may be changed while it runs; the next batch uses them:
--   UPDATE rlsgen.backfill_progress SET batch_size = 1000, batch_pause = '100ms';
CREATE TABLE IF NOT EXISTS rlsgen.backfill_progress (
  table_name text PRIMARY KEY,
  last_key text,
  rows_done bigint NOT NULL DEFAULT 0,
  rows_total bigint,
  rows_filled bigint NOT NULL DEFAULT 0,
  batch_size bigint CHECK (batch_size BETWEEN 1 AND 1000000),
  batch_pause interval CHECK (batch_pause >= interval '0'),
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- A database bootstrapped by an earlier rlsgen has the table without them.
ALTER TABLE rlsgen.backfill_progress
  ADD COLUMN IF NOT EXISTS rows_done bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS rows_total bigint,
  ADD COLUMN IF NOT EXISTS batch_size bigint CHECK (batch_size BETWEEN 1 AND 1000000),
  ADD COLUMN IF NOT EXISTS batch_pause interval CHECK (batch_pause >= interval '0'),
  ADD COLUMN IF NOT EXISTS started_at timestamptz NOT NULL DEFAULT now();

-- Constraints rlsgen replaced (single-column foreign keys superseded by
-- composite ones; foreign keys set aside while Citus distributes the tables),
-- with their exact definitions, so they can be restored as they were.
CREATE TABLE IF NOT EXISTS rlsgen.replaced_constraints (
  table_name text NOT NULL,
  column_name text NOT NULL,
  constraint_name text NOT NULL,
  definition text NOT NULL,
  purpose text NOT NULL DEFAULT 'composite',
  PRIMARY KEY (table_name, constraint_name)
);

-- One batch: batch_update with its first and last key, bound with the key's
-- own type, and the rows it updated. A polymorphic function: PL/pgSQL keeps
-- one compiled copy per key type, so backfills of tables keyed by uuid and by
-- bigint can follow each other in one session.
CREATE OR REPLACE FUNCTION rlsgen.backfill_batch(batch_update text, first_key anyelement, last_key anyelement)
RETURNS bigint
LANGUAGE plpgsql
AS $rlsgen$
DECLARE
  affected bigint;
BEGIN
  EXECUTE batch_update USING first_key, last_key;
  GET DIAGNOSTICS affected = ROW_COUNT;
  RETURN affected;
END
$rlsgen$;
-- Security invoker, and only the migration calls it.
REVOKE EXECUTE ON FUNCTION rlsgen.backfill_batch(text, anyelement, anyelement) FROM PUBLIC;

-- rlsgen.backfill fills one table's tenant column in batches of primary-key
-- ranges, committing after each batch (a procedure called outside a
-- transaction block may COMMIT). batch_update is the UPDATE of one batch, the
-- rows whose key is between $1 and $2 (bound with the key's own type): it
-- resolves every row's tenant once, by a join. The ranges come from one
-- index-only pass over the key, made before any row is updated (the last key
-- of every batch_size keys), so they cost the same on dense, sparse and uuid
-- keys and no batch walks the index again (whose heap pages the updates make
-- expensive to visit). Each batch holds its row locks only for its own short
-- transaction, under lock_timeout; progress is saved with the batch, so a run
-- that is killed continues after the last committed key.
-- Pacing, read before every batch: the row's batch_size and batch_pause in
-- rlsgen.backfill_progress, else the session settings rlsgen.batch_size and
-- rlsgen.batch_pause (rlsgen apply --batch-size, --batch-pause), else the
-- arguments. A change made while a backfill runs carries over to the
-- backfills that follow it in the same session.
-- Progress is reported with RAISE NOTICE (rows done of total).
DROP PROCEDURE IF EXISTS rlsgen.backfill(regclass, name, name, text, integer, text);
CREATE OR REPLACE PROCEDURE rlsgen.backfill(
  target_table regclass,
  key_column name,
  tenant_column name,
  batch_update text,
  batch_size integer DEFAULT 5000,
  batch_lock_timeout text DEFAULT '2s',
  batch_pause interval DEFAULT '0'
)
LANGUAGE plpgsql
AS $rlsgen$
DECLARE
  key_type text;
  label text;
  ends_query text;
  tail_query text;
  bounds_query text;
  fill_batch text;
  batch_ends text[];
  ends_size integer;
  next_end integer;
  remaining bigint;
  bounds record;
  resume_key text;
  batch integer;
  pause interval;
  own_batch integer;
  own_pause interval;
  total_rows bigint;
  done_rows bigint;
  filled bigint;
  affected bigint;
  left_over bigint;
BEGIN
  SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) INTO key_type
    FROM pg_catalog.pg_attribute AS a
   WHERE a.attrelid = target_table AND a.attname = key_column AND NOT a.attisdropped;
  IF key_type IS NULL THEN
    RAISE EXCEPTION 'rlsgen: table % has no column %', target_table, key_column;
  END IF;
  SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) INTO label
    FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
   WHERE c.oid = target_table;
  -- The last key of every $2 keys after $1 (after none when NULL): each end
  -- is found from the one before by skipping $2 - 1 keys on the index, so
  -- the pass reads the index once, index-only, with no per-row work beyond
  -- the skip. tail_query counts the keys after the last end (fewer than $2).
  ends_query := pg_catalog.format(
    'WITH RECURSIVE e(k) AS (
       (SELECT t.%1$I FROM %2$s AS t WHERE $1 IS NULL OR t.%1$I > $1::%3$s ORDER BY t.%1$I OFFSET $2 - 1 LIMIT 1)
       UNION ALL
       SELECT (SELECT t.%1$I FROM %2$s AS t WHERE t.%1$I > e.k ORDER BY t.%1$I OFFSET $2 - 1 LIMIT 1) FROM e WHERE e.k IS NOT NULL)
     SELECT array_agg(e.k::text ORDER BY e.k) FILTER (WHERE e.k IS NOT NULL) FROM e',
    key_column, target_table, key_type);
  tail_query := pg_catalog.format(
    'SELECT count(*) FROM %2$s AS t WHERE $1 IS NULL OR t.%1$I > $1::%3$s',
    key_column, target_table, key_type);
  -- A batch: the first key after $1 (the first key when NULL), up to the
  -- batch end $2 (the last key of the table when NULL). The first key is
  -- looked up now, so that rows inserted between two batch ends since the
  -- pass above are not skipped.
  bounds_query := pg_catalog.format(
    'SELECT f.k::text AS lo, COALESCE($2::%3$s, (SELECT t.%1$I FROM %2$s AS t ORDER BY t.%1$I DESC LIMIT 1))::text AS hi, $2 IS NULL AS last
       FROM (SELECT t.%1$I AS k FROM %2$s AS t WHERE $1 IS NULL OR t.%1$I > $1::%3$s ORDER BY t.%1$I LIMIT 1) AS f',
    key_column, target_table, key_type);
  -- The keys travel as text and are cast here: rlsgen.backfill_batch gets
  -- them with the key's own type.
  fill_batch := pg_catalog.format('SELECT rlsgen.backfill_batch($1, $2::%1$s, $3::%1$s)', key_type);

  SELECT p.last_key, p.rows_done, p.rows_filled INTO resume_key, done_rows, filled
    FROM rlsgen.backfill_progress AS p WHERE p.table_name = label;
  IF NOT FOUND THEN
    INSERT INTO rlsgen.backfill_progress (table_name) VALUES (label);
    done_rows := 0;
    filled := 0;
  END IF;

  LOOP
    SELECT p.batch_size, p.batch_pause INTO own_batch, own_pause
      FROM rlsgen.backfill_progress AS p WHERE p.table_name = label;
    batch := COALESCE(own_batch, NULLIF(pg_catalog.current_setting('rlsgen.batch_size', true), '')::integer, batch_size);
    pause := COALESCE(own_pause, NULLIF(pg_catalog.current_setting('rlsgen.batch_pause', true), '')::interval, batch_pause);
    IF batch IS NULL OR batch < 1 THEN
      RAISE EXCEPTION 'rlsgen: batch size must be a positive integer';
    END IF;
    IF ends_size IS DISTINCT FROM batch THEN
      -- First pass, or the batch size changed: batch ends for the rest.
      EXECUTE ends_query INTO batch_ends USING resume_key, batch;
      EXECUTE tail_query INTO remaining USING COALESCE(batch_ends[pg_catalog.array_upper(batch_ends, 1)], resume_key);
      remaining := remaining + COALESCE(pg_catalog.array_length(batch_ends, 1), 0)::bigint * batch;
      next_end := 1;
      IF ends_size IS NULL THEN
        total_rows := done_rows + remaining;
        UPDATE rlsgen.backfill_progress AS p SET rows_total = total_rows, updated_at = pg_catalog.now() WHERE p.table_name = label;
        RAISE NOTICE USING
          MESSAGE = pg_catalog.format('rlsgen backfill %s: %s rows%s', label, total_rows,
                      CASE WHEN resume_key IS NULL THEN '' ELSE pg_catalog.format(', resuming after %s rows', done_rows) END),
          DETAIL = pg_catalog.json_build_object('event', 'start', 'table', label,
                     'total', total_rows, 'done', done_rows, 'filled', filled)::text;
        COMMIT;
      END IF;
      ends_size := batch;
    END IF;
    PERFORM pg_catalog.set_config('lock_timeout', batch_lock_timeout, true);
    EXECUTE bounds_query INTO bounds USING resume_key, batch_ends[next_end];
    EXIT WHEN bounds.lo IS NULL;
    -- Only rows a path resolves are written: unresolved rows get no new
    -- version (no dead tuples, no row locks) and are counted at the end.
    EXECUTE fill_batch INTO affected USING batch_update, bounds.lo, bounds.hi;
    filled := filled + affected;
    done_rows := CASE WHEN bounds.last THEN total_rows ELSE LEAST(done_rows + batch, total_rows) END;
    resume_key := bounds.hi;
    next_end := next_end + 1;
    UPDATE rlsgen.backfill_progress AS p
       SET last_key = resume_key, rows_done = done_rows, rows_filled = filled, updated_at = pg_catalog.now()
     WHERE p.table_name = label;
    RAISE NOTICE USING
      MESSAGE = pg_catalog.format('rlsgen backfill %s: %s of %s rows', label, done_rows, total_rows),
      DETAIL = pg_catalog.json_build_object('event', 'batch', 'table', label,
                 'total', total_rows, 'done', done_rows, 'filled', filled,
                 'batch_size', batch, 'pause_ms', pg_catalog.round(pg_catalog.date_part('epoch', pause) * 1000))::text;
    COMMIT;
    EXIT WHEN bounds.last;
    IF pause > interval '0' THEN
      PERFORM pg_catalog.pg_sleep(pg_catalog.date_part('epoch', pause));
    END IF;
  END LOOP;

  EXECUTE pg_catalog.format('SELECT count(*) FROM %s AS t WHERE t.%I IS NULL', target_table, tenant_column) INTO left_over;
  SELECT p.batch_size, p.batch_pause INTO own_batch, own_pause
    FROM rlsgen.backfill_progress AS p WHERE p.table_name = label;
  IF own_batch IS NOT NULL THEN
    PERFORM pg_catalog.set_config('rlsgen.batch_size', own_batch::text, false);
  END IF;
  IF own_pause IS NOT NULL THEN
    PERFORM pg_catalog.set_config('rlsgen.batch_pause', own_pause::text, false);
  END IF;
  DELETE FROM rlsgen.backfill_progress AS p WHERE p.table_name = label;
  RAISE NOTICE USING
    MESSAGE = pg_catalog.format('rlsgen backfill %s: %s rows filled, %s left without a tenant', label, filled, left_over),
    DETAIL = pg_catalog.json_build_object('event', 'done', 'table', label,
               'total', total_rows, 'done', total_rows, 'filled', filled, 'unresolved', left_over)::text;
  COMMIT;
END
$rlsgen$;

-- rlsgen apply calls these routines as the role that applies: nobody else
-- needs to execute them (a new routine is executable by PUBLIC). Every
-- routine of the schema, whatever this file defines, except an extension's.
DO $rlsgen$
DECLARE
  o record;
BEGIN
  FOR o IN
    SELECT p.oid::pg_catalog.regprocedure AS routine
      FROM pg_catalog.pg_proc AS p
     WHERE p.pronamespace = 'rlsgen'::pg_catalog.regnamespace
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                        WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE pg_catalog.format('REVOKE ALL ON ROUTINE %s FROM PUBLIC', o.routine);
  END LOOP;
END
$rlsgen$;
