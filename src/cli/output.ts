import type { Writable } from 'node:stream';

/** Exit codes every command uses. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export interface Output {
  readonly color: boolean;
  readonly interactive: boolean;
  out(line?: string): void;
  err(line?: string): void;
  paint(style: Style, text: string): string;
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const CODES: Record<Style, string> = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' };

/** Colors only on a terminal, never with NO_COLOR (https://no-color.org), forced by FORCE_COLOR. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

/** Once a run is interrupted, what its command still prints (errors of the connections just closed) is noise. */
let muted = false;

export function muteOutput(): void {
  muted = true;
}

export function createOutput(stdout: Writable & { isTTY?: boolean }, stderr: Writable & { isTTY?: boolean }, env: NodeJS.ProcessEnv): Output {
  const color = useColor(stdout, env);
  return {
    color,
    interactive: stderr.isTTY === true && env['CI'] !== 'true',
    out: (line = '') => void (muted || stdout.write(`${line}\n`)),
    err: (line = '') => void (muted || stderr.write(`${line}\n`)),
    paint: (style, text) => (color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text),
  };
}
