import type pg from 'pg';

/** What the server's WAL settings mean for filling one table. */
export interface WalAdvice {
  readonly table: string;
  readonly tableBytes: number;
  readonly maxWalBytes: number;
  /** WAL written between two checkpoints the server requests: max_wal_size / (1 + checkpoint_completion_target). */
  readonly checkpointEveryBytes: number;
  /** A max_wal_size that lets the fill run between timed checkpoints: 4x the table, in whole GB. */
  readonly suggestedBytes: number;
}

const GB = 1024 ** 3;

/**
 * Filling the tenant column writes a new version of every row: at least the
 * table's size in WAL, more with the full-page images after each checkpoint.
 * Once the WAL since the last checkpoint passes max_wal_size / (1 +
 * checkpoint_completion_target), the server requests the next one, so a
 * table larger than that fills under checkpoints back to back, and the
 * application's statements wait on their own writes meanwhile (measured in
 * bench:online at 5M rows with max_wal_size 1GB: about 40 requested
 * checkpoints, statements waiting on IO:DataFileWrite for 250 ms, as under a
 * hand-written migration). Null when the table fits.
 */
export function walAdviceFor(table: string, tableBytes: number, maxWalBytes: number, completionTarget: number): WalAdvice | null {
  const checkpointEveryBytes = maxWalBytes / (1 + completionTarget);
  if (tableBytes <= checkpointEveryBytes) return null;
  const suggestedBytes = Math.ceil((4 * tableBytes) / GB) * GB;
  return { table, tableBytes, maxWalBytes, checkpointEveryBytes, suggestedBytes };
}

/** The table's size (a partitioned table's: its partitions'; pg_partition_tree lists nothing for a plain table) and the server's checkpoint settings; null where the table cannot be found. */
export async function readWalFacts(client: pg.ClientBase, table: string): Promise<{ tableBytes: number; maxWalBytes: number; completionTarget: number } | null> {
  const { rows } = await client.query<{ size: string | null; wal: string; target: string }>(
    "SELECT coalesce((SELECT pg_catalog.sum(pg_catalog.pg_table_size(relid)) FROM pg_catalog.pg_partition_tree(pg_catalog.to_regclass($1))), pg_catalog.pg_table_size(pg_catalog.to_regclass($1))) AS size, pg_catalog.pg_size_bytes(pg_catalog.current_setting('max_wal_size')) AS wal, pg_catalog.current_setting('checkpoint_completion_target') AS target",
    [table],
  );
  const row = rows[0];
  if (row === undefined || row.size === null) return null;
  return { tableBytes: Number(row.size), maxWalBytes: Number(row.wal), completionTarget: Number(row.target) };
}

/** Read before a backfill: null where the table fits (or cannot be found). */
export async function walAdvice(client: pg.ClientBase, table: string): Promise<WalAdvice | null> {
  const facts = await readWalFacts(client, table);
  return facts === null ? null : walAdviceFor(table, facts.tableBytes, facts.maxWalBytes, facts.completionTarget);
}

const size = (bytes: number): string => (bytes >= GB ? `${(bytes / GB).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`);

/** The warning apply shows before the backfill, and its detail: what to set for the rollout and how. */
export function formatWalAdvice(advice: WalAdvice): { message: string; detail: string } {
  const suggested = `${advice.suggestedBytes / GB}GB`;
  return {
    message: `${advice.table} is ${size(advice.tableBytes)} and max_wal_size is ${size(advice.maxWalBytes)}: filling it writes at least its size in WAL, so the server requests a checkpoint every ${size(advice.checkpointEveryBytes)} of it, back to back, and the application's statements wait on their writes meanwhile`,
    detail: `for the rollout, raise it and reload (no restart): ALTER SYSTEM SET max_wal_size = '${suggested}'; SELECT pg_reload_conf(); (managed PostgreSQL: the parameter group), with that much free disk for pg_wal, and set it back afterwards`,
  };
}
