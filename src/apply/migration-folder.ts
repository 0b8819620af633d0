import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DISABLE_TRANSACTION_MARKER, type FileMeta, readFileMeta } from '../render/render-plan.js';

/** A migration file as `rlsgen apply` sees it. */
export interface FolderMigration {
  readonly id: number;
  readonly fileName: string;
  /** postgres-migrations' name for it: the file name without id and extension. */
  readonly name: string;
  readonly path: string;
  readonly sql: string;
  /** sha1(fileName + sql), the hash postgres-migrations records and checks. */
  readonly hash: string;
  readonly transactional: boolean;
  readonly meta: FileMeta | null;
  readonly downPath: string;
}

const FILE = /^(-?\d+)[-_]?(.*)\.sql$/i;

/** The migrations of a folder in id order, read in place, as postgres-migrations would load them. */
export function readMigrationFolder(dir: string): FolderMigration[] {
  if (!existsSync(dir)) throw new Error(`migrations folder ${dir} does not exist (run rlsgen generate first)`);
  const out: FolderMigration[] = [];
  for (const fileName of readdirSync(dir).sort()) {
    const match = FILE.exec(fileName);
    if (match === null) continue;
    const sql = readFileSync(join(dir, fileName), 'utf8');
    const name = match[2] === undefined || match[2] === '' ? fileName : match[2];
    out.push({
      id: Number.parseInt(match[1] ?? '', 10),
      fileName,
      name,
      path: join(dir, fileName),
      sql,
      hash: createHash('sha1').update(fileName + sql, 'utf8').digest('hex'),
      transactional: !sql.includes(DISABLE_TRANSACTION_MARKER),
      meta: readFileMeta(sql),
      downPath: join(dir, 'down', fileName.replace(/\.sql$/i, '.down.sql')),
    });
  }
  out.sort((a, b) => a.id - b.id);
  return out;
}

/**
 * Ids missing from a folder whose files must run 1, 2, 3... in order:
 * each gap with the files before and after it. Which of them matters is for
 * the database to say (an applied file removed, or a pending one).
 */
export function folderGaps(files: readonly FolderMigration[]): { readonly id: number; readonly before: FolderMigration | null; readonly after: FolderMigration }[] {
  const gaps: { id: number; before: FolderMigration | null; after: FolderMigration }[] = [];
  let expected = 1;
  let before: FolderMigration | null = null;
  for (const file of files) {
    for (; expected < file.id; expected++) gaps.push({ id: expected, before, after: file });
    expected = Math.max(expected, file.id + 1);
    before = file;
  }
  return gaps;
}

/**
 * The files a later file of the folder replaces (its `supersedes`, written
 * by `rlsgen generate --replace-enforce`), each with the file that replaces it.
 */
export function supersededFiles(files: readonly FolderMigration[]): Map<string, FolderMigration> {
  const out = new Map<string, FolderMigration>();
  for (const file of files) {
    for (const name of file.meta?.supersedes ?? []) if (!out.has(name)) out.set(name, file);
  }
  return out;
}
