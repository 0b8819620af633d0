import { afterAll, beforeAll, describe, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { setContextSecret } from '../../src/apply/set-context-secret.js';
import { type ConnectionInfo, connectionUrl } from '../../src/db/server.js';
import { signTenantToken } from '../../src/runtime/signed-token.js';
import { collectPytest, definePytestTests, probePython, PYTHON, type PytestOutcome, runPytest, summarizePytest } from '../helpers/python.js';
import { appLogin, crmDatabase, freshDatabase, runSqlFile, testServers } from '../helpers/servers.js';

/**
 * The Python integration (recipes/python) and the FastAPI example
 * (examples/fastapi-crm), run by pytest with Debian's packages against the
 * migrated seed CRM, as a login that is a member of crm_app. Each pytest test
 * is a vitest test here. RLSGEN_TEST_SQLALCHEMY=/path/to/sqlalchemy-2.x/lib
 * runs them a second time with that SQLAlchemy first on the path (its
 * psycopg 3 dialects).
 */
const PATHS = ['recipes/python/tests', 'examples/fastapi-crm/tests', '--ignore=recipes/python/tests/pgbouncer'];

const lanes = [
  { label: 'Debian packages', pythonPath: [] as string[] },
  ...(process.env['RLSGEN_TEST_SQLALCHEMY'] ? [{ label: 'SQLAlchemy from RLSGEN_TEST_SQLALCHEMY', pythonPath: [process.env['RLSGEN_TEST_SQLALCHEMY']] }] : []),
];

const postgresql = (info: ConnectionInfo): string => connectionUrl(info).replace(/^postgres:/, 'postgresql:');

/** Tokens made by the node runtime, which the Python implementation must reproduce byte for byte. */
function tokenVectors(): string {
  const secret = 'c0ffee'.repeat(11).slice(0, 64);
  const claims = [
    { tenant: 'a00c2fcd-c9cd-a20d-1586-921479a84023', expires: 0, backendPid: 4242 },
    { tenant: "o'neil.ünïcode.tenant", expires: 1_999_999_999, backendPid: 7 },
  ];
  return JSON.stringify(claims.map((c) => ({ secret, ...c, token: signTenantToken(Buffer.from(secret, 'hex'), c) })));
}

for (const lane of lanes) {
  const probe = probePython(lane.pythonPath);
  if (!probe.ok) {
    describe(`Python (${lane.label})`, () => {
      it.skip(`skipped: ${probe.reason}`, () => undefined);
    });
    continue;
  }
  const v = probe.versions;
  const ids = collectPytest(PATHS, lane.pythonPath);
  const title = `Python ${v['python']} (${PYTHON}): SQLAlchemy ${v['sqlalchemy']}, psycopg2 ${v['psycopg2']}, psycopg ${v['psycopg']}, asyncpg ${v['asyncpg']}, FastAPI ${v['fastapi']}, pytest ${v['pytest']}`;

  describe.each(testServers())(`${title} on $label`, (server) => {
    const drops: (() => Promise<void>)[] = [];
    let outcome: { results: Map<string, PytestOutcome>; output: string } | undefined;

    beforeAll(async () => {
      const crm = await crmDatabase(server);
      drops.push(crm.drop);
      await applyMigrations({ connection: crm.connection, dir: 'generated-sql' });
      const signed = await freshDatabase(server, 'signed');
      drops.push(signed.drop);
      await runSqlFile(signed.connection, 'test/golden/modes/schema.sql');
      await applyMigrations({ connection: signed.connection, dir: 'test/golden/signed/expected' });
      const secret = await setContextSecret(signed.connection);
      outcome = await runPytest(
        PATHS,
        {
          RLSGEN_CRM_URL: postgresql(await appLogin(crm.connection, 'crm_app')),
          RLSGEN_CRM_ADMIN_URL: postgresql(crm.connection),
          RLSGEN_SIGNED_URL: postgresql(await appLogin(signed.connection, 'wa_signed_app')),
          RLSGEN_SIGNED_SECRET: secret,
          RLSGEN_TOKEN_VECTORS: tokenVectors(),
        },
        lane.pythonPath,
      );
    }, 300_000);

    afterAll(async () => {
      console.log(summarizePytest(`${lane.label}, ${server.label}`, outcome));
      for (const drop of drops) await drop();
    });

    definePytestTests(ids, () => outcome);
  });
}
