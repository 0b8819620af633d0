import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import type { DbSnapshot } from '../../src/introspect/snapshot.js';
import { lintDatabase } from '../../src/lint/lint-database.js';
import { RULES } from '../../src/lint/registry.js';
import type { Finding } from '../../src/lint/rule.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { freshDatabase, testServers } from '../helpers/servers.js';

/**
 * Each rule gets two schemas in one database: `h_<n>` holds the hazard and
 * `s_<n>` its safe form (for four rules, the forms other linters wrongly
 * report). The rule must report the first and stay silent on the second.
 */
interface Case {
  readonly rule: string;
  readonly hazard: string;
  readonly safe: string;
  /** The application role for this case (roles are cluster-wide: each case has its own). */
  readonly appRole?: string;
  readonly manifest?: string;
  /** Where findings on the safe form would show (default: the s_ schema). */
  readonly safeObject?: RegExp;
  readonly hazardObject?: RegExp;
}

const T = (schema: string, extra = ''): string =>
  `CREATE TABLE ${schema}.t (id int PRIMARY KEY, company_id int NOT NULL${extra});
   CREATE INDEX ON ${schema}.t (company_id, id);`;
const RLS = (schema: string, role: string): string =>
  `ALTER TABLE ${schema}.t ENABLE ROW LEVEL SECURITY; ALTER TABLE ${schema}.t FORCE ROW LEVEL SECURITY;
   CREATE POLICY tenant ON ${schema}.t TO ${role} USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);`;
const tag = Math.random().toString(36).slice(2, 8);
const role = (name: string): string => `lint_${name}_${tag}`;

const CASES: Case[] = [
  { rule: 'require-rls-enabled', hazard: T('h'), safe: `${T('s')} ${RLS('s', 'public')}` },
  { rule: 'require-rls-forced', hazard: `${T('h')} ALTER TABLE h.t ENABLE ROW LEVEL SECURITY;`, safe: `${T('s')} ${RLS('s', 'public')}` },
  { rule: 'require-policy', hazard: `${T('h')} ALTER TABLE h.t ENABLE ROW LEVEL SECURITY;`, safe: `${T('s')} ${RLS('s', 'public')}` },
  {
    rule: 'require-with-check',
    appRole: role('wc'),
    hazard: `${T('h')} ${RLS('h', role('wc'))} CREATE POLICY hop ON h.t FOR UPDATE TO ${role('wc')} USING (company_id = 1) WITH CHECK (true);`,
    // An ALL or UPDATE policy without WITH CHECK checks new rows with its USING.
    safe: `${T('s')} ALTER TABLE s.t ENABLE ROW LEVEL SECURITY; ALTER TABLE s.t FORCE ROW LEVEL SECURITY;
      CREATE POLICY everything ON s.t FOR ALL TO ${role('wc')} USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);
      CREATE POLICY upd ON s.t FOR UPDATE TO ${role('wc')} USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);
      CREATE POLICY deny ON s.t FOR INSERT TO ${role('wc')};`,
  },
  {
    rule: 'ban-app-role-bypass',
    appRole: role('bypass'),
    hazard: `ALTER ROLE ${role('bypass')} BYPASSRLS;`,
    safe: `CREATE ROLE ${role('bypass_safe')} NOLOGIN;`,
    hazardObject: new RegExp(`^role ${role('bypass')}$`),
  },
  {
    rule: 'ban-app-role-owner',
    appRole: role('owner'),
    hazard: `${T('h')} ${RLS('h', role('owner'))} ALTER TABLE h.t OWNER TO ${role('owner')};`,
    safe: `${T('s')} ${RLS('s', role('owner'))} GRANT SELECT ON s.t TO ${role('owner')};`,
  },
  {
    rule: 'ban-app-role-escalation',
    appRole: role('esc'),
    hazard: `CREATE ROLE ${role('esc_admin')} NOLOGIN BYPASSRLS; GRANT ${role('esc_admin')} TO ${role('esc')};`,
    safe: `CREATE ROLE ${role('esc_reader')} NOLOGIN; GRANT ${role('esc_reader')} TO ${role('esc')};`,
    hazardObject: new RegExp(`^role ${role('esc')}$`),
    safeObject: /esc_reader/,
  },
  {
    rule: 'ban-app-role-predefined',
    appRole: role('pre'),
    hazard: `CREATE ROLE ${role('pre_monitor')} NOLOGIN IN ROLE pg_monitor; GRANT pg_read_all_data, ${role('pre_monitor')} TO ${role('pre')};`,
    // An auditor login of its own holds pg_read_all_data; the application role does not.
    safe: `CREATE ROLE ${role('pre_auditor')} NOLOGIN IN ROLE pg_read_all_data;`,
    hazardObject: new RegExp(`^role ${role('pre')}$`),
    safeObject: /pre_auditor/,
  },
  {
    rule: 'require-security-invoker-view',
    appRole: role('siv'),
    hazard: `${T('h')} ${RLS('h', 'public')} CREATE VIEW h.v AS SELECT * FROM h.t; CREATE VIEW h.outer_v AS SELECT * FROM h.v;
      GRANT USAGE ON SCHEMA h TO ${role('siv')}; GRANT SELECT ON h.outer_v TO ${role('siv')};`,
    // security_invoker; and a view over a tenant table the application role cannot read.
    safe: `${T('s')} ${RLS('s', 'public')} CREATE VIEW s.v WITH (security_invoker = true) AS SELECT * FROM s.t; CREATE VIEW s.hidden AS SELECT * FROM s.t;
      GRANT USAGE ON SCHEMA s TO ${role('siv')}; GRANT SELECT ON s.v TO ${role('siv')};`,
  },
  {
    rule: 'ban-tenant-materialized-view',
    appRole: role('tmv'),
    hazard: `${T('h')} ${RLS('h', 'public')} CREATE MATERIALIZED VIEW h.mv AS SELECT company_id, count(*) FROM h.t GROUP BY 1;
      GRANT USAGE ON SCHEMA h TO ${role('tmv')}; GRANT SELECT ON h.mv TO ${role('tmv')};`,
    // A security_invoker view instead; a materialized view the application role cannot read.
    safe: `${T('s')} ${RLS('s', 'public')} CREATE VIEW s.v WITH (security_invoker = true) AS SELECT company_id, count(*) FROM s.t GROUP BY 1;
      CREATE MATERIALIZED VIEW s.mv AS SELECT company_id, count(*) FROM s.t GROUP BY 1; GRANT USAGE ON SCHEMA s TO ${role('tmv')};`,
  },
  {
    rule: 'ban-definer-tenant-access',
    appRole: role('def'),
    hazard: `${T('h')} ${RLS('h', 'public')} CREATE FUNCTION h.count_all() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT count(*) FROM h.t $$;
      GRANT USAGE ON SCHEMA h TO ${role('def')};`,
    // Ordinary functions and triggers run as the invoker, with row security applied; a definer function nobody but its owner may execute.
    safe: `${T('s')} ${RLS('s', 'public')} GRANT USAGE ON SCHEMA s TO ${role('def')};
      CREATE FUNCTION s.count_mine() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM s.t $$;
      CREATE FUNCTION s.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM 1 FROM s.t; RETURN NEW; END $$;
      CREATE TRIGGER touch BEFORE INSERT ON s.t FOR EACH ROW EXECUTE FUNCTION s.touch();
      CREATE FUNCTION s.count_all() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT count(*) FROM s.t $$;
      REVOKE EXECUTE ON FUNCTION s.count_all() FROM PUBLIC;`,
  },
  {
    rule: 'ban-exempt-tenant-data',
    appRole: role('etd'),
    hazard: `CREATE TABLE h.users (id int PRIMARY KEY, company_id int, email text); GRANT USAGE ON SCHEMA h TO ${role('etd')}; GRANT SELECT, UPDATE ON h.users TO ${role('etd')};`,
    // The same table, out of the application role's reach.
    safe: `CREATE TABLE s.users (id int PRIMARY KEY, company_id int, email text); CREATE TABLE s.tenants (id int PRIMARY KEY); GRANT USAGE ON SCHEMA s TO ${role('etd')};`,
    manifest: `version: 1
tenant: { column: company_id, type: integer, references: s.tenants(id) }
roles: { app: { name: ${role('etd')} } }
tables:
  s.tenants: { mode: exempt, reason: the tenant table, commands: [select] }
  h.users: { mode: exempt, reason: sign-in, existing_column: integer, commands: [select, update] }
  s.users: { mode: exempt, reason: sign-in, existing_column: integer, commands: [] }
`,
    hazardObject: /^table h\.users$/,
  },
  {
    rule: 'ban-exempt-tenant-reference',
    appRole: role('etr'),
    hazard: `CREATE TABLE h.users (id int PRIMARY KEY, company_id int); CREATE TABLE h.sessions (token text PRIMARY KEY, user_id int REFERENCES h.users);
      CREATE TABLE h.stages (id int PRIMARY KEY, name text); CREATE TABLE h.deals (id int PRIMARY KEY, company_id int, stage_id int REFERENCES h.stages);
      GRANT USAGE ON SCHEMA h TO ${role('etr')}; GRANT SELECT ON h.sessions TO ${role('etr')}; GRANT SELECT, UPDATE ON h.stages TO ${role('etr')};`,
    // A shared lookup tenant rows refer to, read-only; sessions out of reach.
    safe: `CREATE TABLE s.tenants (id int PRIMARY KEY); CREATE TABLE s.users (id int PRIMARY KEY, company_id int); CREATE TABLE s.sessions (token text PRIMARY KEY, user_id int REFERENCES s.users);
      CREATE TABLE s.stages (id int PRIMARY KEY, name text); CREATE TABLE s.deals (id int PRIMARY KEY, company_id int, stage_id int REFERENCES s.stages);
      GRANT USAGE ON SCHEMA s TO ${role('etr')}; GRANT SELECT ON s.stages TO ${role('etr')};`,
    manifest: `version: 1
tenant: { column: company_id, type: integer, references: s.tenants(id) }
roles: { app: { name: ${role('etr')} } }
tables:
  s.tenants: { mode: exempt, reason: the tenant table, commands: [select] }
  h.users: { existing_column: integer }
  h.sessions: { mode: exempt, reason: sign-in }
  h.stages: { mode: exempt, reason: pipeline stages }
  h.deals: { existing_column: integer }
  s.users: { existing_column: integer }
  s.sessions: { mode: exempt, reason: sign-in }
  s.stages: { mode: exempt, reason: pipeline stages }
  s.deals: { existing_column: integer }
`,
    hazardObject: /^table h\.(sessions|stages)$/,
  },
  {
    rule: 'require-definer-search-path',
    hazard: 'CREATE FUNCTION h.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
    safe: 'CREATE FUNCTION s.f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;',
  },
  {
    // pg_temp not listed is searched first for table names (the test below shows it).
    rule: 'require-definer-search-path',
    hazard: 'CREATE FUNCTION h.g() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT 1 $$;',
    safe: 'CREATE FUNCTION s.g() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = "pg_catalog", "pg_temp" AS $$ SELECT 1 $$;',
  },
  {
    rule: 'require-child-policies',
    hazard: `CREATE TABLE h.t (id int, company_id int NOT NULL) PARTITION BY LIST (company_id);
      CREATE TABLE h.t_1 PARTITION OF h.t FOR VALUES IN (1);
      ALTER TABLE h.t ENABLE ROW LEVEL SECURITY; ALTER TABLE h.t FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant ON h.t USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);`,
    safe: `CREATE TABLE s.t (id int, company_id int NOT NULL) PARTITION BY LIST (company_id);
      CREATE TABLE s.t_1 PARTITION OF s.t FOR VALUES IN (1);
      ALTER TABLE s.t ENABLE ROW LEVEL SECURITY; ALTER TABLE s.t FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant ON s.t USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);
      ALTER TABLE s.t_1 ENABLE ROW LEVEL SECURITY; ALTER TABLE s.t_1 FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant ON s.t_1 USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);`,
  },
  {
    rule: 'require-tenant-index',
    hazard: 'CREATE TABLE h.t (id int PRIMARY KEY, company_id int NOT NULL);',
    safe: T('s'),
  },
  {
    rule: 'prefer-initplan-function',
    hazard: `${T('h')} CREATE FUNCTION h.tenant() RETURNS int LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN NULLIF(current_setting('app.company_id', true), '')::int; END $$;
      ALTER TABLE h.t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON h.t USING (company_id = h.tenant());`,
    // Wrapped in a sub-select it is an InitPlan, evaluated once; the built-in expression is an index condition.
    safe: `${T('s')} CREATE FUNCTION s.tenant() RETURNS int LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN NULLIF(current_setting('app.company_id', true), '')::int; END $$;
      ALTER TABLE s.t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON s.t FOR SELECT USING (company_id = (SELECT s.tenant()));
      CREATE POLICY q ON s.t FOR DELETE USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);`,
  },
  {
    rule: 'ban-multiple-permissive',
    hazard: `${T('h')} ${RLS('h', 'public')} CREATE POLICY again ON h.t FOR SELECT USING (company_id = 1);`,
    safe: `${T('s')} ${RLS('s', 'public')}`,
  },
  {
    rule: 'require-manifest-coverage',
    hazard: 'CREATE TABLE h.forgotten (id int PRIMARY KEY);',
    safe: 'CREATE TABLE s.known (id int PRIMARY KEY);',
    manifest: `version: 1
tenant: { column: company_id, type: integer, references: s.tenants(id) }
roles: { app: { name: nobody } }
tables:
  s.known: { mode: exempt, reason: declared }
`,
    hazardObject: /^table h\.forgotten$/,
    safeObject: /^table s\./,
  },
  {
    rule: 'require-unique-lookup-key',
    hazard: 'CREATE TABLE h.accounts (id int PRIMARY KEY, company_id int, email text); CREATE INDEX ON h.accounts (email);',
    safe: 'CREATE TABLE s.accounts (id int PRIMARY KEY, company_id int, email text UNIQUE);',
    manifest: `version: 1
tenant: { column: company_id, type: integer, references: s.tenants(id) }
roles: { app: { name: nobody } }
tables:
  h.accounts: { existing_column: integer }
  s.accounts: { existing_column: integer }
lookups:
  by_email_h: { table: h.accounts, key: email, returns: [id, company_id] }
  by_email_safe: { table: s.accounts, key: email, returns: [id, company_id] }
`,
  },
  {
    rule: 'ban-unique-without-tenant',
    hazard: `${T('h', ', email text UNIQUE')}`,
    safe: `${T('s', ', email text, UNIQUE (company_id, email)')}`,
  },
  {
    rule: 'ban-single-column-tenant-fk',
    hazard: `${T('h')} CREATE TABLE h.child (id int PRIMARY KEY, company_id int NOT NULL, t_id int REFERENCES h.t (id));`,
    safe: `${T('s')} ALTER TABLE s.t ADD UNIQUE (company_id, id);
      CREATE TABLE s.child (id int PRIMARY KEY, company_id int NOT NULL, t_id int, FOREIGN KEY (company_id, t_id) REFERENCES s.t (company_id, id));`,
  },
  {
    // A key into a shared table keeps one column under rlsgen's reference trigger; the same trigger name calling a function outside the rlsgen schema is no guard.
    rule: 'ban-single-column-tenant-fk',
    hazard: `${T('h')} CREATE TABLE h.child (id int PRIMARY KEY, company_id int NOT NULL, t_id int REFERENCES h.t (id));
      CREATE FUNCTION h.guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER rlsgen_guard_t_id BEFORE INSERT OR UPDATE OF t_id, company_id ON h.child FOR EACH ROW EXECUTE FUNCTION h.guard();`,
    safe: `${T('s')} CREATE TABLE s.child (id int PRIMARY KEY, company_id int NOT NULL, t_id int REFERENCES s.t (id));
      CREATE SCHEMA IF NOT EXISTS rlsgen; CREATE FUNCTION rlsgen.guard_lint_child_t_id() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER rlsgen_guard_t_id BEFORE INSERT OR UPDATE OF t_id, company_id ON s.child FOR EACH ROW EXECUTE FUNCTION rlsgen.guard_lint_child_t_id();`,
  },
  {
    rule: 'ban-immutable-tenant-function',
    hazard: `${T('h')} CREATE FUNCTION h.tenant() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT NULLIF(current_setting('app.company_id', true), '')::int $$;
      ALTER TABLE h.t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON h.t USING (company_id = (SELECT h.tenant()));`,
    safe: `${T('s')} CREATE FUNCTION s.tenant() RETURNS int LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.company_id', true), '')::int $$;
      ALTER TABLE s.t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON s.t USING (company_id = (SELECT s.tenant()));`,
  },
  {
    rule: 'ban-leakproof-function',
    hazard: 'CREATE FUNCTION h.same(a int, b int) RETURNS boolean LANGUAGE sql IMMUTABLE LEAKPROOF AS $$ SELECT a = b $$;',
    safe: 'CREATE FUNCTION s.same(a int, b int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT a = b $$;',
  },
  {
    rule: 'ban-default-privileges-grant',
    appRole: role('dp'),
    hazard: `CREATE ROLE ${role('dp_owner')} NOLOGIN; GRANT CREATE ON SCHEMA h TO ${role('dp_owner')};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${role('dp_owner')} IN SCHEMA h GRANT SELECT, INSERT ON TABLES TO ${role('dp')};`,
    safe: `ALTER DEFAULT PRIVILEGES FOR ROLE ${role('dp_owner')} IN SCHEMA s GRANT USAGE ON SEQUENCES TO ${role('dp')};`,
    hazardObject: new RegExp(`^default privileges of ${role('dp_owner')}$`),
    safeObject: /in s get/,
  },
  {
    rule: 'require-safe-setting-read',
    hazard: `${T('h')} ALTER TABLE h.t ENABLE ROW LEVEL SECURITY;
      CREATE POLICY one_arg ON h.t FOR SELECT USING (company_id = current_setting('app.company_id')::int);
      CREATE POLICY no_nullif ON h.t FOR DELETE USING (company_id = current_setting('app.company_id', true)::int);`,
    safe: `${T('s')} ${RLS('s', 'public')}`,
  },
  {
    rule: 'ban-permissive-true',
    appRole: role('true'),
    hazard: `${T('h')} ${RLS('h', role('true'))} CREATE POLICY everyone ON h.t FOR SELECT TO ${role('true')} USING (true);`,
    // A policy with no expression denies; USING (true) for a role the application cannot use is a cross-tenant role.
    safe: `${T('s')} ${RLS('s', role('true'))} CREATE POLICY nothing ON s.t FOR SELECT TO ${role('true')};
      CREATE ROLE ${role('true_admin')} NOLOGIN; CREATE POLICY admins ON s.t FOR SELECT TO ${role('true_admin')} USING (true);`,
  },
  {
    rule: 'require-tenant-predicate',
    appRole: role('pred'),
    hazard: `${TABLES('h', role('pred'), [
      // The inverted check: with the variable unset, every row.
      "current_setting('app.company_id', true) IS NULL OR company_id = NULLIF(current_setting('app.company_id', true), '')::int",
      "company_id = NULLIF(current_setting('app.company_id', true), '')::int OR true",
      "current_setting('app.company_id', true) <> ''",
      'company_id = 1',
    ])}`,
    // The forms rlsgen generates: plain, shared (global rows), legacy_owner, the tenant from a sub-select or a helper.
    safe: `CREATE FUNCTION s.current_company() RETURNS int LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.company_id', true), '')::int $$;
      ${TABLES('s', role('pred'), [
        "company_id = NULLIF(current_setting('app.company_id', true), '')::int",
        "company_id IS NULL OR company_id = NULLIF(current_setting('app.company_id', true), '')::int",
        "company_id = NULLIF(current_setting('app.company_id', true), '')::int OR (company_id IS NULL AND owner_id = NULLIF(current_setting('app.user_id', true), '')::int)",
        "company_id = (SELECT NULLIF(current_setting('app.company_id', true), '')::int)",
        'company_id = s.current_company()',
      ])}`,
  },
  {
    rule: 'require-tenant-bound-check',
    appRole: role('bound'),
    hazard: `${T('h', ', status text')} ALTER TABLE h.t ENABLE ROW LEVEL SECURITY; ALTER TABLE h.t FORCE ROW LEVEL SECURITY;
      CREATE POLICY rw ON h.t FOR ALL TO ${role('bound')} USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int)
        WITH CHECK (company_id IS NOT NULL AND status IN ('draft', 'sent'));`,
    // The WITH CHECK binds the tenant, or is left out so that USING checks new rows; rlsgen's one policy per command.
    safe: `${T('s', ', status text')} ${RLS('s', role('bound'))}
      CREATE POLICY rw ON s.t FOR ALL TO ${role('bound')} USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int)
        WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::int AND status IN ('draft', 'sent'));
      CREATE POLICY rw2 ON s.t FOR ALL TO ${role('bound')} USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);
      CREATE POLICY ins ON s.t FOR INSERT TO ${role('bound')} WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::int);`,
  },
  {
    rule: 'ban-reachable-child-without-rls',
    appRole: role('child'),
    // A partition two levels down and an inheritance child, both granted directly and without row security.
    hazard: `CREATE TABLE h.t (id int, company_id int NOT NULL, at date NOT NULL) PARTITION BY LIST (company_id);
      CREATE TABLE h.t_1 PARTITION OF h.t FOR VALUES IN (1) PARTITION BY RANGE (at);
      CREATE TABLE h.t_1_2026 PARTITION OF h.t_1 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      ALTER TABLE h.t ENABLE ROW LEVEL SECURITY; ALTER TABLE h.t FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant ON h.t USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);
      GRANT SELECT ON h.t, h.t_1_2026 TO ${role('child')};
      ${T('h', '').replace('h.t ', 'h.base ').replace('h.t (', 'h.base (')} ALTER TABLE h.base ENABLE ROW LEVEL SECURITY;
      CREATE TABLE h.base_old () INHERITS (h.base); GRANT SELECT, UPDATE ON h.base_old TO ${role('child')};`,
    // Without a grant of its own the partition is only reached through the parent; a granted child has row security.
    safe: `CREATE TABLE s.t (id int, company_id int NOT NULL) PARTITION BY LIST (company_id);
      CREATE TABLE s.t_1 PARTITION OF s.t FOR VALUES IN (1);
      CREATE TABLE s.t_2 PARTITION OF s.t FOR VALUES IN (2);
      ALTER TABLE s.t ENABLE ROW LEVEL SECURITY; ALTER TABLE s.t FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant ON s.t USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);
      ALTER TABLE s.t_2 ENABLE ROW LEVEL SECURITY; ALTER TABLE s.t_2 FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant ON s.t_2 USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);
      GRANT SELECT ON s.t, s.t_2 TO ${role('child')};`,
  },
  {
    rule: 'ban-fk-existence-oracle',
    appRole: role('oracle'),
    hazard: `${T('h')} ${RLS('h', role('oracle'))}
      CREATE TABLE h.audit (id int PRIMARY KEY, t_id int REFERENCES h.t (id)); GRANT INSERT ON h.audit TO ${role('oracle')};`,
    // rlsgen's composite key on a tenant-scoped child (pgrls reports it); a global table the application cannot write.
    safe: `${T('s')} ${RLS('s', role('oracle'))} ALTER TABLE s.t ADD UNIQUE (company_id, id);
      CREATE TABLE s.child (id int PRIMARY KEY, company_id int NOT NULL, t_id int, FOREIGN KEY (company_id, t_id) REFERENCES s.t (company_id, id));
      GRANT INSERT, UPDATE ON s.child TO ${role('oracle')};
      CREATE TABLE s.audit (id int PRIMARY KEY, t_id int REFERENCES s.t (id)); GRANT SELECT ON s.audit TO ${role('oracle')};`,
  },
  {
    rule: 'ban-public-bypassing-definer',
    // Owned by the superuser that runs the tests, executable by PUBLIC by default.
    hazard: 'CREATE FUNCTION h.f() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1::bigint $$;',
    safe: `CREATE FUNCTION s.f() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1::bigint $$;
      REVOKE EXECUTE ON FUNCTION s.f() FROM PUBLIC;
      CREATE ROLE ${role('definer_owner')} NOLOGIN;
      CREATE FUNCTION s.g() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1::bigint $$;
      ALTER FUNCTION s.g() OWNER TO ${role('definer_owner')};`,
  },
  {
    rule: 'ban-role-keyed-policy',
    hazard: `${T('h', ', owner_role name')} ALTER TABLE h.t ENABLE ROW LEVEL SECURITY; CREATE POLICY mine ON h.t USING (owner_role = current_user);`,
    // A role check that is not a row key: an admin escape, a privilege test.
    safe: `${T('s')} ${RLS('s', 'public')}
      CREATE POLICY admins ON s.t FOR SELECT USING (current_user = 'postgres' OR pg_has_role(current_user, 'pg_read_all_data', 'MEMBER'));`,
  },
  {
    rule: 'ban-mixed-tenant-binding',
    hazard: `CREATE FUNCTION h.require_company() RETURNS int LANGUAGE plpgsql STABLE AS $$
        BEGIN
          IF NULLIF(current_setting('app.company_id', true), '') IS NULL THEN RAISE EXCEPTION 'app.company_id is not set' USING ERRCODE = 'insufficient_privilege'; END IF;
          RETURN current_setting('app.company_id')::int;
        END $$;
      ${T('h')} ALTER TABLE h.t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON h.t USING (company_id = (SELECT h.require_company()));
      ${T('h').replaceAll('h.t', 'h.u')} ALTER TABLE h.u ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON h.u USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int);`,
    safe: `CREATE FUNCTION s.require_company() RETURNS int LANGUAGE plpgsql STABLE AS $$
        BEGIN
          IF NULLIF(current_setting('app.company_id', true), '') IS NULL THEN RAISE EXCEPTION 'app.company_id is not set' USING ERRCODE = 'insufficient_privilege'; END IF;
          RETURN current_setting('app.company_id')::int;
        END $$;
      ${T('s')} ALTER TABLE s.t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON s.t USING (company_id = (SELECT s.require_company()));
      ${T('s').replaceAll('s.t', 's.u')} ALTER TABLE s.u ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON s.u USING (company_id = (SELECT s.require_company()));`,
  },
];

/** One table per policy expression, each with row security on and the policy for `role`. */
function TABLES(schema: string, role: string, usings: readonly string[]): string {
  return usings
    .map(
      (using, i) => `CREATE TABLE ${schema}.t${i} (id int PRIMARY KEY, company_id int, owner_id int);
        CREATE INDEX ON ${schema}.t${i} (company_id, id);
        ALTER TABLE ${schema}.t${i} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${schema}.t${i} FORCE ROW LEVEL SECURITY;
        CREATE POLICY p ON ${schema}.t${i} TO ${role} USING (${using});`,
    )
    .join('\n');
}

const [server] = testServers();

describe.runIf(server !== undefined)('lint rules on a real database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let snapshot: DbSnapshot;
  beforeAll(async () => {
    if (server === undefined) return;
    db = await freshDatabase(server, 'lint');
    await withClient(db.connection, async (c) => {
      for (const [index, kase] of CASES.entries()) {
        for (const [prefix, sql] of [['h', kase.hazard], ['s', kase.safe]] as const) {
          const schema = `${prefix}_${index}`;
          const roles = [kase.appRole].filter((r): r is string => r !== undefined);
          for (const r of roles) await c.query(`DO $$ BEGIN CREATE ROLE ${r} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
          await c.query(`CREATE SCHEMA ${schema}`);
          await c.query(sql.replace(/\b([hs])\.(\w)/g, (_m, p: string, rest: string) => `${p}_${index}.${rest}`).replace(/SCHEMA ([hs])\b/g, (_m, p: string) => `SCHEMA ${p}_${index}`));
        }
      }
    });
    snapshot = await withClient(db.connection, introspectDatabase);
  });
  afterAll(async () => {
    await db?.drop();
    if (server === undefined) return;
    await withClient(server.connection, async (c) => {
      const { rows } = await c.query<{ r: string }>('SELECT rolname AS r FROM pg_roles WHERE rolname LIKE $1', [`lint\\_%\\_${tag}`]);
      for (const { r } of rows) await c.query(`DROP ROLE IF EXISTS ${r}`).catch(() => undefined);
    });
  });

  it('has a case for every rule', () => {
    // The Citus rules need a Citus cluster: test/unit/citus.test.ts covers them on catalog snapshots.
    // The rlsgen schema is one per database: test/integration/rlsgen-schema.test.ts covers its rule.
    // ban-app-role-temporary is about the database itself: its own test below.
    const elsewhere = (id: string): boolean => id.includes('citus') || id === 'require-trusted-rlsgen-schema' || id === 'ban-app-role-temporary';
    expect([...new Set(CASES.map((c) => c.rule))].sort()).toEqual(RULES.map((r) => r.id).filter((id) => !elsewhere(id)).sort());
  });

  it.each(CASES.map((kase, index) => ({ ...kase, index })))('$rule: reports the hazard and stays silent on the safe form', ({ rule, appRole, manifest, index, hazardObject, safeObject }) => {
    const definition = RULES.find((r) => r.id === rule);
    if (definition === undefined) throw new Error(`no rule ${rule}`);
    let model: Model | null = null;
    if (manifest !== undefined) {
      const loaded = loadManifest(manifest.replace(/\b([hs])\.(\w)/g, (_m, p: string, rest: string) => `${p}_${index}.${rest}`), 'policies.yaml');
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
      model = loaded.model;
    }
    const findings: Finding[] = lintDatabase(snapshot, { model, appRole: appRole ?? null, rules: [definition] });
    const hazard = hazardObject === undefined ? new RegExp(`\\bh_${index}\\.`) : new RegExp(hazardObject.source.replace(/\bh\b/, `h_${index}`));
    const safe = safeObject === undefined ? new RegExp(`\\bs_${index}\\.`) : new RegExp(safeObject.source.replace(/\bs\b/, `s_${index}`));
    expect(findings.filter((f) => hazard.test(f.object) || hazard.test(f.message)).length, JSON.stringify(findings, null, 1)).toBeGreaterThan(0);
    expect(findings.filter((f) => safe.test(f.object) || safe.test(f.message))).toEqual([]);
  });

  /** The objects a rule reports in its hazard schema. */
  const hazardObjects = (rule: string): string[] => {
    const index = CASES.findIndex((c) => c.rule === rule);
    const definition = RULES.find((r) => r.id === rule);
    if (definition === undefined) throw new Error(`no rule ${rule}`);
    const findings = lintDatabase(snapshot, { model: null, appRole: CASES[index]?.appRole ?? null, rules: [definition] });
    return findings.filter((f) => f.object.includes(`h_${index}.`)).map((f) => f.object.replace(`h_${index}.`, 'h.')).sort();
  };

  it('require-tenant-predicate: each loose form is reported on its own table', () => {
    expect(hazardObjects('require-tenant-predicate')).toEqual([0, 1, 2, 3].map((i) => `table h.t${i}`));
  });

  it('ban-reachable-child-without-rls: a partition two levels down and an inheritance child', () => {
    expect(hazardObjects('ban-reachable-child-without-rls')).toEqual(['table h.base_old', 'table h.t_1_2026']);
  });

  it("require-definer-search-path: without pg_temp last, a caller's temporary table shadows the table a definer function reads", async () => {
    await withClient(db.connection, async (c) => {
      await c.query('CREATE TABLE public.secrets (id int); INSERT INTO public.secrets VALUES (1), (2), (3)');
      await c.query('CREATE FUNCTION public.count_pinned() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$ SELECT count(*) FROM secrets $$');
      await c.query('CREATE FUNCTION public.count_last() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$ SELECT count(*) FROM secrets $$');
      await c.query('CREATE TEMPORARY TABLE secrets (id int)');
      const { rows } = await c.query<{ pinned: string; last: string }>('SELECT public.count_pinned() AS pinned, public.count_last() AS last');
      expect(rows[0]).toEqual({ pinned: '0', last: '3' });
    });
  });

  it('a policy keeps the columns it reads: DROP COLUMN is refused (pgrls HYG001 assumes it is not)', async () => {
    await withClient(db.connection, async (c) => {
      await c.query('CREATE TABLE public.kept (id int, company_id int)');
      await c.query("CREATE POLICY p ON public.kept USING (company_id = NULLIF(current_setting('app.company_id', true), '')::int)");
      await expect(c.query('ALTER TABLE public.kept DROP COLUMN company_id')).rejects.toMatchObject({ code: '2BP01' });
      await c.query('DROP TABLE public.kept');
    });
  });

  it('ban-app-role-temporary: reported while PUBLIC (or the role) holds TEMPORARY, silent once revoked', async () => {
    if (server === undefined) return;
    const definition = RULES.find((r) => r.id === 'ban-app-role-temporary');
    if (definition === undefined) throw new Error('rule missing');
    const app = role('tmp');
    const temp = await freshDatabase(server, 'lint_temp');
    try {
      await withClient(temp.connection, (c) => c.query(`DO $$ BEGIN CREATE ROLE ${app} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`));
      const findings = async (): Promise<string[]> =>
        lintDatabase(await withClient(temp.connection, introspectDatabase), { model: null, appRole: app, rules: [definition] }).map((f) => `${f.object}: ${f.message}`);
      expect(await findings()).toEqual([expect.stringMatching(new RegExp(`^role ${app}: ${app} can create temporary tables .*through PUBLIC`))]);
      const database = temp.connection.database;
      await withClient(temp.connection, (c) => c.query(`REVOKE TEMPORARY ON DATABASE ${database} FROM PUBLIC`));
      expect(await findings()).toEqual([]);
      await withClient(temp.connection, (c) => c.query(`GRANT TEMPORARY ON DATABASE ${database} TO ${app}`));
      expect(await findings()).toEqual([expect.stringContaining(`through ${app}`)]);
    } finally {
      await temp.drop();
    }
  });
});
