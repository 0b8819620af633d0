-- rlsgen: {"step":"lookups","stage":"enforce"}
-- Pre-tenant lookups: rows the application must find before it knows the
-- tenant (sign-in by email, a webhook's phone number id). Each is a function
-- in the rlsgen_lookup schema that
--   * finds at most one row, by equality on its key: no pattern, no range,
--     no listing, and a NULL key finds nothing (STRICT);
--   * returns only the columns the manifest lists;
--   * is STABLE and SECURITY DEFINER, with search_path pinned to
--     pg_catalog, pg_temp, owned by a NOLOGIN role that owns nothing else and
--     may read only the key and returned columns of its tables (column
--     privileges, and a SELECT policy of its own where row security is on);
--   * is executable by the application role only (EXECUTE revoked from PUBLIC).
-- Lookups (owner crm_app_lookup, callable by crm_app):
--   user_by_email: public.users by (email), returns id, company_id, password_hash
--   session_by_token: public.sessions by (token_hash), returns user_id, company_id, expires_at
--
-- Locks: ACCESS EXCLUSIVE on a lookup table while its policy is created or
-- dropped, catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The lookup role. NOLOGIN and never granted to the application: nobody
-- acts as it; only the lookup functions run with its rights.
DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'crm_app_lookup') THEN
    CREATE ROLE crm_app_lookup NOLOGIN NOBYPASSRLS NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object THEN
  NULL;  -- created by another session between the check and CREATE ROLE
END
$rlsgen$;
CREATE SCHEMA rlsgen_lookup;
REVOKE ALL ON SCHEMA rlsgen_lookup FROM PUBLIC;
COMMENT ON SCHEMA rlsgen_lookup IS 'rlsgen: pre-tenant lookup functions';
GRANT USAGE ON SCHEMA rlsgen_lookup TO crm_app;

-- The lookup role must be NOLOGIN, must not bypass row security, must not be
-- reachable by the application role (as it, the application would read
-- every row of the lookup columns) and must own nothing but lookup functions.
DO $rlsgen$
DECLARE
  r record;
BEGIN
  SELECT oid, rolsuper, rolbypassrls, rolcanlogin INTO r FROM pg_catalog.pg_roles WHERE rolname = 'crm_app_lookup';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'rlsgen: the lookup role % does not exist', 'crm_app_lookup'
      USING HINT = 'create it NOLOGIN, or set roles.lookup.create: true in the manifest';
  END IF;
  IF r.rolsuper OR r.rolbypassrls OR r.rolcanlogin THEN
    RAISE EXCEPTION 'rlsgen: the lookup role % must be NOLOGIN, without SUPERUSER or BYPASSRLS', 'crm_app_lookup';
  END IF;
  IF pg_catalog.pg_has_role('crm_app', r.oid, 'MEMBER') THEN
    RAISE EXCEPTION 'rlsgen: the application role % can act as the lookup role %', 'crm_app', 'crm_app_lookup'
      USING HINT = 'revoke that membership: as the lookup role the application would read every row of the lookup columns';
  END IF;
  IF EXISTS (
    SELECT FROM pg_catalog.pg_shdepend AS d
     WHERE d.refclassid = 'pg_catalog.pg_authid'::regclass AND d.refobjid = r.oid AND d.deptype = 'o'
       AND d.dbid = (SELECT db.oid FROM pg_catalog.pg_database AS db WHERE db.datname = pg_catalog.current_database())
       AND NOT (d.classid = 'pg_catalog.pg_proc'::regclass
                AND d.objid IN (SELECT p.oid FROM pg_catalog.pg_proc AS p WHERE p.pronamespace = 'rlsgen_lookup'::regnamespace))
  ) THEN
    RAISE EXCEPTION 'rlsgen: the lookup role % owns objects other than lookup functions in this database', 'crm_app_lookup'
      USING HINT = 'name a role of its own in roles.lookup';
  END IF;
  -- Handing a function to the lookup role takes the right to SET ROLE to it.
  -- A superuser has it; a role that applies migrations without being one
  -- (managed PostgreSQL) is made a member, as of a role it created itself.
  IF NOT pg_catalog.pg_has_role(current_user, r.oid,
       CASE WHEN pg_catalog.current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END) THEN
    EXECUTE pg_catalog.format('GRANT %I TO %I', 'crm_app_lookup', current_user);
  END IF;
END
$rlsgen$;

-- public.sessions
GRANT SELECT (company_id, expires_at, token_hash, user_id) ON public.sessions TO crm_app_lookup;
CREATE POLICY rlsgen_lookup_select ON public.sessions
  AS PERMISSIVE FOR SELECT TO crm_app_lookup
  USING (true);
-- public.users
GRANT SELECT (company_id, email, id, password_hash) ON public.users TO crm_app_lookup;
CREATE POLICY rlsgen_lookup_select ON public.users
  AS PERMISSIVE FOR SELECT TO crm_app_lookup
  USING (true);
GRANT USAGE ON SCHEMA public TO crm_app_lookup;

-- user_by_email: public.users by (email), returns id, company_id, password_hash.
-- The catalog, not the manifest, knows the columns and whether the key is
-- unique: checked here, before anything is created.
DO $rlsgen$
DECLARE
  missing text;
BEGIN
  SELECT pg_catalog.string_agg(c, ', ') INTO missing
    FROM pg_catalog.unnest(ARRAY['email', 'id', 'company_id', 'password_hash']::text[]) AS c
   WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_attribute AS a
                      WHERE a.attrelid = 'public.users'::regclass AND a.attname = c AND a.attnum > 0 AND NOT a.attisdropped);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: lookup %: % has no column %', 'user_by_email', 'public.users', missing
      USING HINT = 'fix the lookup in the manifest and generate again';
  END IF;
  -- At most one row per key: a unique index (valid, not deferred, not
  -- partial, on plain columns) whose columns all belong to the key.
  IF NOT EXISTS (
    SELECT FROM pg_catalog.pg_index AS i
     WHERE i.indrelid = 'public.users'::regclass
       AND i.indisunique AND i.indisvalid AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL
       AND NOT EXISTS (
         SELECT FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
           JOIN pg_catalog.pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
          WHERE k.n <= i.indnkeyatts AND a.attname <> ALL (ARRAY['email']::text[])
       )
  ) THEN
    RAISE EXCEPTION 'rlsgen: lookup %: no unique index of % covers its key (%)', 'user_by_email', 'public.users', pg_catalog.array_to_string(ARRAY['email']::text[], ', ')
      USING HINT = 'a lookup must find at most one row: build a unique index on the key (CREATE UNIQUE INDEX CONCURRENTLY), or add columns to the key';
  END IF;
END
$rlsgen$;
CREATE FUNCTION rlsgen_lookup.user_by_email(public.users.email%TYPE)
  RETURNS TABLE (id public.users.id%TYPE, company_id public.users.company_id%TYPE, password_hash public.users.password_hash%TYPE)
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $rlsgen$
DECLARE
  rlsgen_found bigint;
BEGIN
  RETURN QUERY SELECT t.id, t.company_id, t.password_hash FROM public.users AS t WHERE t.email = $1 LIMIT 2;
  GET DIAGNOSTICS rlsgen_found = ROW_COUNT;
  IF rlsgen_found > 1 THEN
    RAISE EXCEPTION 'rlsgen: lookup % found more than one row', 'user_by_email'
      USING HINT = 'its key is no longer unique: restore the unique index';
  END IF;
END
$rlsgen$;
COMMENT ON FUNCTION rlsgen_lookup.user_by_email IS 'rlsgen lookup: public.users by (email), returns id, company_id, password_hash';
REVOKE ALL ON FUNCTION rlsgen_lookup.user_by_email FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rlsgen_lookup.user_by_email TO crm_app;
-- The new owner needs CREATE on the schema for the hand-over only.
GRANT CREATE ON SCHEMA rlsgen_lookup TO crm_app_lookup;
ALTER FUNCTION rlsgen_lookup.user_by_email OWNER TO crm_app_lookup;
REVOKE CREATE ON SCHEMA rlsgen_lookup FROM crm_app_lookup;

-- session_by_token: public.sessions by (token_hash), returns user_id, company_id, expires_at.
-- The catalog, not the manifest, knows the columns and whether the key is
-- unique: checked here, before anything is created.
DO $rlsgen$
DECLARE
  missing text;
BEGIN
  SELECT pg_catalog.string_agg(c, ', ') INTO missing
    FROM pg_catalog.unnest(ARRAY['token_hash', 'user_id', 'company_id', 'expires_at']::text[]) AS c
   WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_attribute AS a
                      WHERE a.attrelid = 'public.sessions'::regclass AND a.attname = c AND a.attnum > 0 AND NOT a.attisdropped);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: lookup %: % has no column %', 'session_by_token', 'public.sessions', missing
      USING HINT = 'fix the lookup in the manifest and generate again';
  END IF;
  -- At most one row per key: a unique index (valid, not deferred, not
  -- partial, on plain columns) whose columns all belong to the key.
  IF NOT EXISTS (
    SELECT FROM pg_catalog.pg_index AS i
     WHERE i.indrelid = 'public.sessions'::regclass
       AND i.indisunique AND i.indisvalid AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL
       AND NOT EXISTS (
         SELECT FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
           JOIN pg_catalog.pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
          WHERE k.n <= i.indnkeyatts AND a.attname <> ALL (ARRAY['token_hash']::text[])
       )
  ) THEN
    RAISE EXCEPTION 'rlsgen: lookup %: no unique index of % covers its key (%)', 'session_by_token', 'public.sessions', pg_catalog.array_to_string(ARRAY['token_hash']::text[], ', ')
      USING HINT = 'a lookup must find at most one row: build a unique index on the key (CREATE UNIQUE INDEX CONCURRENTLY), or add columns to the key';
  END IF;
END
$rlsgen$;
CREATE FUNCTION rlsgen_lookup.session_by_token(public.sessions.token_hash%TYPE)
  RETURNS TABLE (user_id public.sessions.user_id%TYPE, company_id public.sessions.company_id%TYPE, expires_at public.sessions.expires_at%TYPE)
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $rlsgen$
DECLARE
  rlsgen_found bigint;
BEGIN
  RETURN QUERY SELECT t.user_id, t.company_id, t.expires_at FROM public.sessions AS t WHERE t.token_hash = $1 LIMIT 2;
  GET DIAGNOSTICS rlsgen_found = ROW_COUNT;
  IF rlsgen_found > 1 THEN
    RAISE EXCEPTION 'rlsgen: lookup % found more than one row', 'session_by_token'
      USING HINT = 'its key is no longer unique: restore the unique index';
  END IF;
END
$rlsgen$;
COMMENT ON FUNCTION rlsgen_lookup.session_by_token IS 'rlsgen lookup: public.sessions by (token_hash), returns user_id, company_id, expires_at';
REVOKE ALL ON FUNCTION rlsgen_lookup.session_by_token FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rlsgen_lookup.session_by_token TO crm_app;
-- The new owner needs CREATE on the schema for the hand-over only.
GRANT CREATE ON SCHEMA rlsgen_lookup TO crm_app_lookup;
ALTER FUNCTION rlsgen_lookup.session_by_token OWNER TO crm_app_lookup;
REVOKE CREATE ON SCHEMA rlsgen_lookup FROM crm_app_lookup;
