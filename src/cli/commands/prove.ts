import { formatProof } from '../../prove/format-proof.js';
import { provePolicies } from '../../prove/prove-policies.js';
import { EXIT, type Output } from '../output.js';
import { printApplyError } from './common.js';
import { readCatalog } from './lint.js';

export interface ProveCliOptions {
  readonly databaseUrl?: string;
  readonly manifest: string;
  readonly role?: string;
  readonly tenantColumn?: string;
  readonly setting?: string;
  readonly json: boolean;
}

/** Reads the catalog and proves each tenant table's policies; 0 when all are PROVEN, 1 on a LEAK or UNVERIFIED, 2 usage. */
export async function runProve(output: Output, options: ProveCliOptions): Promise<number> {
  try {
    const catalog = await readCatalog(output, options, 'rlsgen prove');
    if (typeof catalog === 'number') return catalog;
    const { snapshot, model } = catalog;
    const result = provePolicies(snapshot, {
      model,
      ...(options.role === undefined ? {} : { appRole: options.role }),
      ...(options.tenantColumn === undefined ? {} : { tenantColumn: options.tenantColumn }),
      ...(options.setting === undefined ? {} : { setting: options.setting }),
    });
    if (options.json) output.out(JSON.stringify(result, null, 2));
    else for (const line of formatProof(result, (style, t) => output.paint(style, t))) output.out(line);
    return result.verdict === 'PROVEN' ? EXIT.ok : EXIT.findings;
  } catch (error) {
    printApplyError(output, error);
    return EXIT.usage;
  }
}
