import type { ReachedObject } from '../introspect/role-reach.js';
import type { TableInfo } from '../introspect/snapshot.js';
import type { TenantData } from '../introspect/tenant-data.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote.js';
import type { Outcome } from './check.js';
import type { ProbeSession } from './probe-session.js';

/**
 * An object the application role can use, as the object probes see it: what
 * it is and how the role reaches it, what holds tenant rows, and tenant A as
 * whom the probes act.
 */
export class ObjectUnderProof {
  /** The object, quoted and qualified (functions: schema and name only). */
  readonly name: string;

  constructor(
    readonly session: ProbeSession,
    readonly reached: ReachedObject,
    readonly data: TenantData,
    readonly a: string,
  ) {
    this.name = quoteQualified(reached.schema, reached.name);
  }

  /** `crm_app can SELECT, UPDATE it (through PUBLIC)`. */
  get access(): string {
    return `${this.session.app} can ${this.reached.privileges.join(', ')} it (through ${this.reached.via.join(', ')})`;
  }

  /** The scoped table a partition or inheritance child belongs to, at any depth. */
  scopedParent(table: TableInfo): TableInfo | undefined {
    return this.data.scopedAncestor(table);
  }

  /** As tenant A (or with the variable unset), `SELECT count(*)` of the object's rows `where` selects. */
  countAs(tenant: string | undefined, where = 'true'): Promise<Outcome<number>> {
    const s = this.session;
    return s.asApp(tenant, () => s.count(`SELECT count(*) AS n FROM ${this.name} WHERE ${where}`));
  }

  /** The condition for rows whose tenant column names another tenant than A (or none). */
  notA(column = this.session.model.tenant.column): string {
    return `${quoteIdent(column)}::text IS DISTINCT FROM ${quoteLiteral(this.a)}`;
  }

  /** How a statement is reproduced as the application role with A's tenant. */
  reproduce(sql: string, tenant: string | null = this.a): string {
    return this.session.reproduce(tenant, sql);
  }
}
