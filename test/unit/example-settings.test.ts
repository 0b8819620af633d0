import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { durationMilliseconds } from '../../src/sql/interval.js';

/** The FastAPI example sends the shipped manifest's idle timeout with every tenant: the two must not drift. */
describe('the FastAPI example and the shipped manifest', () => {
  it("sends the manifest's idle_in_transaction_session_timeout", () => {
    const loaded = loadManifest(readFileSync('policies.yaml', 'utf8'), 'policies.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const timeout = loaded.model.roles.app.idleInTransactionSessionTimeout;
    expect(timeout).not.toBeNull();
    const sent = /idle_in_transaction_timeout_ms=([\d_]+)/.exec(readFileSync('examples/fastapi-crm/crm/db.py', 'utf8'))?.[1];
    expect(Number(sent?.replaceAll('_', ''))).toBe(durationMilliseconds(timeout ?? ''));
  });
});
