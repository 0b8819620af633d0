import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A statement of a loaded file failed: where, and PostgreSQL's message. */
export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
    readonly code: string | undefined,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** `COPY table (columns) FROM stdin;` as pg_dump writes it, on a line of its own. */
const COPY_FROM_STDIN = /^COPY\s.+\sFROM\s+stdin\b[^;]*;\s*$/i;

interface PgError {
  readonly message: string;
  readonly code?: string;
  readonly position?: string;
  readonly where?: string;
}

const asPgError = (error: unknown): PgError => (error instanceof Error ? (error as Error & PgError) : { message: String(error) });

/** Line of the file at character `position` (1-based, PostgreSQL's) of a chunk that starts at `startLine`. */
function lineAt(chunk: string, position: number, startLine: number): number {
  return startLine + (chunk.slice(0, Math.max(0, position - 1)).match(/\n/g)?.length ?? 0);
}

/**
 * Runs an SQL file on `client` as psql would run a plain `pg_dump` file:
 * statements as one simple query per run of SQL, each `COPY ... FROM stdin`
 * block streamed to the server with the COPY protocol (pg-copy-streams), and
 * psql's meta-commands (`\connect`, `\restrict`) skipped. A failure is a
 * LoadError naming the file and line: the statement's line from the error
 * position, the data row's line from COPY's `line n` context.
 */
export async function loadSqlFile(client: pg.ClientBase, file: string): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let sql: string[] = [];
  let sqlStart = 1;
  let copy: { statement: string; line: number; rows: string[] } | null = null;
  let lineNo = 0;
  const runSql = async (): Promise<void> => {
    const text = sql.join('\n');
    sql = [];
    if (text.trim() === '') return;
    try {
      await client.query(text);
    } catch (error) {
      const e = asPgError(error);
      const line = e.position === undefined ? sqlStart : lineAt(text, Number(e.position), sqlStart);
      throw new LoadError(file, line, e.message, e.code);
    }
  };
  const runCopy = async (block: { statement: string; line: number; rows: string[] }): Promise<void> => {
    try {
      const stream = client.query(copyFrom(block.statement));
      await pipeline(Readable.from(block.rows.map((row) => `${row}\n`)), stream);
    } catch (error) {
      const e = asPgError(error);
      const row = /\bline (\d+)/.exec(e.where ?? '');
      throw new LoadError(file, block.line + (row === null ? 0 : Number(row[1])), e.message, e.code);
    }
  };
  for await (const line of lines) {
    lineNo++;
    if (copy !== null) {
      if (line === '\\.') {
        await runCopy(copy);
        copy = null;
        sqlStart = lineNo + 1;
      } else copy.rows.push(line);
      continue;
    }
    if (COPY_FROM_STDIN.test(line)) {
      await runSql();
      copy = { statement: line.replace(/;\s*$/, ''), line: lineNo, rows: [] };
      continue;
    }
    if (sql.length === 0) sqlStart = lineNo;
    // psql meta-commands pg_dump writes (\connect, \restrict, \unrestrict): not SQL.
    sql.push(/^\\[a-z]/.test(line) ? '' : line);
  }
  if (copy !== null) throw new LoadError(file, copy.line, 'COPY data not terminated by a line "\\."', undefined);
  await runSql();
}
