import { RULES } from './registry.js';
import type { Acknowledgement } from '../manifest/model.js';
import type { Finding } from './rule.js';

const DOCS = 'https://github.com/rlsgen/rlsgen/blob/main/docs/lint';

/** One line per finding, accepted ones with the manifest's reason, then the counts. */
export function formatText(findings: readonly Finding[], paint: (style: 'red' | 'yellow' | 'bold' | 'dim', text: string) => string = (_s, t) => t, unused: readonly Acknowledgement[] = []): string[] {
  const open = findings.filter((f) => f.acknowledged === undefined);
  const accepted = findings.filter((f) => f.acknowledged !== undefined);
  const lines = open.map((f) => `${paint(f.severity === 'error' ? 'red' : 'yellow', `${f.severity}[${f.rule}]`)} ${paint('bold', f.object)}: ${f.message}`);
  for (const f of accepted) lines.push(`${paint('dim', `accepted[${f.rule}]`)} ${paint('bold', f.object)}: ${f.message}`, `  acknowledged: ${f.acknowledged ?? ''}`);
  for (const a of unused) lines.push(`${paint('yellow', 'note')}: the acknowledgement of ${a.finding} on ${a.object} matches no finding (remove it, or check the object's name)`);
  const errors = open.filter((f) => f.severity === 'error').length;
  const acceptedText = accepted.length === 0 ? '' : `, ${accepted.length} accepted in the manifest`;
  lines.push(findings.length === 0 ? 'no findings' : `${open.length} finding(s): ${errors} error(s), ${open.length - errors} warning(s)${acceptedText}; docs/lint/<rule>.md explains each rule and its fix`);
  return lines;
}

export interface SarifLocation {
  /** The manifest (or any file) the result is reported against, relative to the repository root. */
  readonly uri: string;
  /** 1-based line for an object, when known (the table's entry in the manifest). */
  line(object: string): number;
}

/** SARIF 2.1.0, as GitHub code scanning accepts it: every result has a physical location. */
export function formatSarif(findings: readonly Finding[], location: SarifLocation, version: string): object {
  const rules = RULES.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: `${rule.title}. ${rule.fix}` },
    help: { text: rule.fix, markdown: `${rule.fix}\n\nSee [${rule.id}](${DOCS}/${rule.id}.md).` },
    helpUri: `${DOCS}/${rule.id}.md`,
    defaultConfiguration: { level: rule.severity },
    properties: { tags: ['security', 'postgresql', 'row-level-security'] },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'rlsgen', informationUri: 'https://github.com/rlsgen/rlsgen', semanticVersion: version, rules } },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: RULES.findIndex((r) => r.id === f.rule),
          level: f.severity,
          message: { text: f.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: location.uri }, region: { startLine: Math.max(1, location.line(f.object)) } },
              logicalLocations: [{ fullyQualifiedName: f.object.replace(/^\S+ /, ''), kind: f.object.split(' ')[0] ?? 'object' }],
            },
          ],
          partialFingerprints: { 'rlsgen/v1': `${f.rule}:${f.object}` },
          ...(f.acknowledged === undefined ? {} : { suppressions: [{ kind: 'external', status: 'accepted', justification: f.acknowledged }] }),
        })),
      },
    ],
  };
}
