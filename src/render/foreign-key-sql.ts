import type { FkAction } from '../manifest/model.js';
import type { PlannedForeignKey } from '../plan/plan.js';
import { quoteIdent } from '../sql/quote.js';

const ACTION_SQL: Readonly<Record<FkAction, string>> = {
  no_action: 'NO ACTION',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  set_null: 'SET NULL',
  set_default: 'SET DEFAULT',
};

/** pg_constraint.confdeltype / confupdtype for each action. */
export const ACTION_CODE: Readonly<Record<FkAction, string>> = {
  no_action: 'a',
  restrict: 'r',
  cascade: 'c',
  set_null: 'n',
  set_default: 'd',
};

/** True when the composite key needs PostgreSQL 15's column list (`ON DELETE SET NULL (column)`). */
export const needsColumnList = (fk: PlannedForeignKey): boolean => fk.onDelete === 'set_null' || fk.onDelete === 'set_default';

/**
 * What follows `REFERENCES parent (...)` for the key: its actions and
 * deferral, the parts PostgreSQL prints only when they differ from the
 * default (NO ACTION, NOT DEFERRABLE, MATCH SIMPLE), so a key restored from
 * this text dumps exactly as the original.
 *
 * Composite (tenant, column) key: `ON DELETE SET NULL (contact_id) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED`.
 * SET NULL and SET DEFAULT name the referencing column only (PostgreSQL
 * 15+): without the list PostgreSQL would null the tenant column too. MATCH
 * is always SIMPLE: with one referencing column FULL means the same, while a
 * composite MATCH FULL would reject every row whose column is NULL.
 *
 * Single-column key (`composite: false`): the same actions, and `MATCH FULL` when the manifest says so.
 */
export function foreignKeyBehaviour(fk: PlannedForeignKey, composite: boolean): string {
  const parts: string[] = [];
  if (!composite && fk.match === 'full') parts.push('MATCH FULL');
  if (fk.onUpdate !== 'no_action') parts.push(`ON UPDATE ${ACTION_SQL[fk.onUpdate]}`);
  if (fk.onDelete !== 'no_action') {
    const list = composite && needsColumnList(fk) ? ` (${quoteIdent(fk.column)})` : '';
    parts.push(`ON DELETE ${ACTION_SQL[fk.onDelete]}${list}`);
  }
  if (fk.deferrable) parts.push(fk.initiallyDeferred ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE');
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}

/** The manifest's words for the key's behaviour, for messages: `on_delete: set_null, on_update: cascade, deferrable`. */
export function describeBehaviour(fk: PlannedForeignKey): string {
  const parts = [`on_delete: ${fk.onDelete}`, `on_update: ${fk.onUpdate}`];
  if (fk.deferrable) parts.push(fk.initiallyDeferred ? 'initially_deferred: true' : 'deferrable: true');
  return parts.join(', ');
}
