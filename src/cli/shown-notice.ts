import { CONNECTION_ENDING_CODES } from '../apply/apply-errors.js';
import type { ApplyEvent } from '../apply/apply-migrations.js';

/** GRANT/REVOKE that granted or revoked nothing: the file fails on them anyway, with them as its error. */
const PRIVILEGE_WARNINGS = new Set(['01007', '01006']);

/**
 * Which server notices apply shows: every notice of the Citus distribute
 * stage (what Citus says while it copies a table), and warnings other than
 * those reported as their file's error (the privilege ones, and the reason
 * a backend told to quit at once gives for ending the connection). The
 * idempotency notices of the other files ("already exists, skipping") are
 * noise.
 */
export function shownNotice(event: Extract<ApplyEvent, { kind: 'notice' }>): boolean {
  const code = event.code ?? '';
  if (CONNECTION_ENDING_CODES.has(code)) return false;
  if (event.stage === 'distribute') return true;
  return event.severity === 'WARNING' && !PRIVILEGE_WARNINGS.has(code);
}
