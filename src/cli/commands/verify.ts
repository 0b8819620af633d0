import { serverSpecFrom } from '../../db/open-server.js';
import { withClient } from '../../db/server.js';
import { formatMatrix } from '../../verify/format-matrix.js';
import { proveIsolation } from '../../verify/prove-isolation.js';
import type { VerifyResult } from '../../verify/result.js';
import { VerifyPreconditionError, verifyIsolation } from '../../verify/verify-isolation.js';
import type { Target } from '../../manifest/model.js';
import { EXIT, type Output } from '../output.js';
import { connectionFrom, printApplyError, readModel } from './common.js';

export interface VerifyCliOptions {
  readonly manifest: string;
  readonly dir: string;
  readonly schema?: string;
  readonly data?: string;
  readonly databaseUrl?: string;
  readonly container?: string | boolean;
  readonly pgBin?: string;
  readonly probeRole?: Readonly<Record<string, string>>;
  readonly json: boolean;
  /** Replaces the manifest's target for this run. */
  readonly target?: Target;
}

export function matrixStyle(output: Output) {
  return {
    pass: (t: string) => output.paint('green', t),
    fail: (t: string) => output.paint('red', t),
    dim: (t: string) => output.paint('dim', t),
    bold: (t: string) => output.paint('bold', t),
  };
}

export async function runVerify(output: Output, options: VerifyCliOptions): Promise<number> {
  const model = readModel(output, options.manifest, options.target);
  if (model === null) return EXIT.usage;
  let result: VerifyResult;
  // A failure before the proof could start (no server, a schema that does not
  // load) is bad input: 2. A migration that fails, or a proof that cannot
  // complete, leaves isolation not proven: 1.
  let proving = false;
  try {
    if (options.schema !== undefined) {
      const spec = serverSpecFrom(options, process.env);
      const proved = await proveIsolation({
        model,
        server: spec,
        schemaFile: options.schema,
        dir: options.dir,
        ...(options.data === undefined ? {} : { dataFile: options.data }),
        onEvent: (event) => {
          if (event.kind !== 'phase') return;
          if (event.phase === 'apply' || event.phase === 'verify') proving = true;
          if (!options.json) output.err(`${event.phase}: ${event.detail}`);
        },
      });
      result = proved.verify;
    } else {
      const url = options.databaseUrl ?? process.env['DATABASE_URL'];
      if (url === undefined || url === '') {
        output.err('error: give --schema FILE to prove isolation on a throwaway database, or --database-url for a database with the policies applied');
        return EXIT.usage;
      }
      const connection = connectionFrom(output, url);
      if (connection === null) return EXIT.usage;
      result = await withClient(
        connection,
        (client) => {
          proving = true;
          return verifyIsolation({ model, client, probeRoles: options.probeRole ?? {} });
        },
        'rlsgen verify',
      );
    }
  } catch (error) {
    printApplyError(output, error);
    if (error instanceof VerifyPreconditionError) return EXIT.usage;
    if (!proving) return EXIT.usage;
    output.err('isolation not proven');
    return EXIT.findings;
  }
  if (options.json) output.out(JSON.stringify(result, null, 2));
  else for (const line of formatMatrix(result, matrixStyle(output))) output.out(line);
  return result.ok ? EXIT.ok : EXIT.findings;
}
