import type { Acknowledgement } from '../manifest/model.js';
import { PROBES } from './registry.js';
import type { AcknowledgementUse, CheckResult } from './result.js';

/**
 * Turns each failed check that an acknowledgement names into `accepted`:
 * same object, and the probe's id or the lint rule it corresponds to.
 * Lint-only acknowledgements (rules no probe corresponds to) are lint's.
 */
export class CheckAcknowledger {
  private readonly used = new Set<Acknowledgement>();
  private readonly lintRules = new Map(PROBES.map((p) => [p.id, p.lintRule]));

  constructor(private readonly acknowledgements: readonly Acknowledgement[]) {}

  apply(object: string, checks: readonly CheckResult[]): CheckResult[] {
    return checks.map((check) => {
      if (check.status !== 'fail') return check;
      const ack = this.acknowledgements.find((a) => a.object === object && (a.finding === check.check || a.finding === this.lintRules.get(check.check)));
      if (ack === undefined) return check;
      this.used.add(ack);
      return { ...check, status: 'accepted', acknowledged: ack.reason };
    });
  }

  /** Every acknowledgement of a verify probe (or of a lint rule a probe corresponds to), and whether this run used it. */
  uses(): AcknowledgementUse[] {
    const known = new Set([...this.lintRules.keys(), ...[...this.lintRules.values()].filter((r): r is string => r !== undefined)]);
    return this.acknowledgements.filter((a) => known.has(a.finding)).map((a) => ({ object: a.object, finding: a.finding, reason: a.reason, used: this.used.has(a) }));
  }
}
