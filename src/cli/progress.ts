import cliProgress from 'cli-progress';
import type { ApplyEvent } from '../apply/apply-migrations.js';
import type { LongHolder } from '../apply/wait-for-long-holders.js';
import { BackfillRate, formatRate } from './backfill-rate.js';
import type { Output } from './output.js';
import { shownNotice } from './shown-notice.js';

/** The pacing of the last batch: `batch 2,000, pause 50 ms`. */
const pacing = (batchSize: number | null, pauseMs: number | null): string =>
  batchSize === null ? '' : `batch ${batchSize.toLocaleString('en-US')}${pauseMs !== null && pauseMs > 0 ? `, pause ${pauseMs} ms` : ''}`;

/** `waiting for 1 long transaction on public.calls to end before locking it: pid 4242 (report), 31 s`. */
function waitingFor(table: string, holders: readonly LongHolder[]): string {
  const list = holders.map((h) => `pid ${h.pid}${h.application === '' ? '' : ` (${h.application})`}, ${Math.round(h.seconds)} s`).join('; ');
  const count = holders.length === 1 ? '1 long transaction' : `${holders.length} long transactions`;
  return `waiting for ${count} on ${table} to end before locking it: ${list}`;
}

/** `  0255_citus_distribute.sql: NOTICE: ...` with its detail on the next line. */
function formatNotice(event: Extract<ApplyEvent, { kind: 'notice' }>): string {
  const head = `  ${event.file === null ? '' : `${event.file}: `}${event.severity}: ${event.message}`;
  return event.detail === null ? head : `${head}\n    ${event.detail}`;
}

const rate = (done: number, ms: number): string => (ms <= 0 ? '' : `${Math.round((done / ms) * 1000).toLocaleString('en-US')} rows/s`);

/**
 * Turns apply events into progress: bars on a terminal (migrations, and rows
 * of the running backfill with its rate, ETA and pacing), one line per long
 * step or every 10% of a backfill otherwise (CI logs), with the rate and ETA.
 */
export function progressReporter(output: Output): { onEvent: (event: ApplyEvent) => void; stop: () => void } {
  if (output.interactive) {
    const multi = new cliProgress.MultiBar(
      { clearOnComplete: true, hideCursor: true, format: ' {bar} {value}/{total} {label}', barsize: 30, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    let files: cliProgress.SingleBar | null = null;
    let backfill: cliProgress.SingleBar | null = null;
    const rate = new BackfillRate();
    return {
      onEvent(event) {
        switch (event.kind) {
          case 'file-start':
            files ??= multi.create(event.total, 0, { label: '' });
            files.update(event.index - 1, { label: event.file.fileName });
            break;
          case 'file-done':
            files?.increment(1);
            break;
          case 'backfill':
            if (event.event === 'start') {
              rate.restart(Date.now(), event.done);
              backfill?.stop();
              backfill = multi.create(Math.max(1, event.total), event.done, { label: `${event.table} rows`, rate: '', pacing: '' }, { format: ' {bar} {value}/{total} {label} {rate} {pacing}' });
            } else rate.record(Date.now(), event.done);
            backfill?.update(event.done, { rate: formatRate(rate, event.total), pacing: pacing(event.batchSize, event.pauseMs) });
            if (event.event === 'done' && backfill !== null) {
              multi.remove(backfill);
              backfill = null;
            }
            break;
          case 'waiting-for-lock':
            multi.log(`waiting for another rlsgen apply${event.holderPid === null ? '' : ` (backend pid ${event.holderPid})`} to finish...\n`);
            break;
          case 'retry':
            multi.log(`${event.file.fileName}: ${event.reason}; retry ${event.attempt} in ${event.delayMs} ms\n`);
            break;
          case 'invalid-index-dropped':
            multi.log(`dropped ${event.index}, left invalid by an interrupted build; building it again\n`);
            break;
          case 'waiting-for-table':
            multi.log(`${event.file.fileName}: ${waitingFor(event.table, event.holders)}\n`);
            break;
          case 'notice':
            if (shownNotice(event)) multi.log(`${formatNotice(event)}\n`);
            break;
          case 'lock-acquired':
            break;
          default: {
            const never: never = event;
            throw new Error(`unknown event ${JSON.stringify(never)}`);
          }
        }
      },
      stop: () => multi.stop(),
    };
  }
  let lastShare = -1;
  const rate = new BackfillRate();
  return {
    onEvent(event) {
      switch (event.kind) {
        case 'file-done':
          if (event.ms >= 1000) output.err(`  ${event.file.fileName} (${(event.ms / 1000).toFixed(1)} s)`);
          break;
        case 'backfill': {
          if (event.event === 'start') {
            lastShare = -1;
            rate.restart(Date.now(), event.done);
          } else rate.record(Date.now(), event.done);
          // Small tables finish in one batch; their counts are in apply's summary.
          if (event.total < 10_000) break;
          const share = event.total === 0 ? 10 : Math.floor((event.done / event.total) * 10);
          if (share > lastShare || event.event === 'done') {
            lastShare = share;
            const details = [formatRate(rate, event.total), pacing(event.batchSize, event.pauseMs)].filter((d) => d !== '').join(', ');
            output.err(`  backfill ${event.table}: ${event.done}/${event.total} rows${details === '' ? '' : ` (${details})`}`);
          }
          break;
        }
        case 'waiting-for-lock':
          output.err(`waiting for another rlsgen apply${event.holderPid === null ? '' : ` (backend pid ${event.holderPid})`} to finish...`);
          break;
        case 'retry':
          output.err(`  ${event.file.fileName}: ${event.reason}; retry ${event.attempt} in ${event.delayMs} ms`);
          break;
        case 'invalid-index-dropped':
          output.err(`  dropped ${event.index}, left invalid by an interrupted build; building it again`);
          break;
        case 'waiting-for-table':
          output.err(`  ${event.file.fileName}: ${waitingFor(event.table, event.holders)}`);
          break;
        case 'notice':
          if (shownNotice(event)) output.err(formatNotice(event));
          break;
        case 'file-start':
        case 'lock-acquired':
          break;
        default: {
          const never: never = event;
          throw new Error(`unknown event ${JSON.stringify(never)}`);
        }
      }
    },
    stop: () => undefined,
  };
}
