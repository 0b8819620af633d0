import { section } from '../section.js';

/** `context:` how the policies read the tenant: the plain variable, or an HMAC-signed token. */
export const contextSection = section({
  key: 'context',
  build({ raw, report, built }) {
    const context = raw.context ?? 'plain';
    if (built('target') === 'citus' && context === 'signed') {
      report.error(['context'], 'citus-signed', 'the signed context is not available with `target: citus`', {
        help: 'Citus rejects sub-selects in policies on distributed tables, and the signed check must run once per statement',
      });
    }
    return context;
  },
});
