import { COMMANDS, type TableModel } from '../../model.js';
import type { TableKeyInput } from './table-key.js';

/** `commands:` what the application role is granted (all four on scoped tables, none on exempt ones, by default). */
export function readCommands(input: TableKeyInput): Pick<TableModel, 'commands'> {
  const listed = input.entry.raw.commands;
  return { commands: listed !== undefined ? COMMANDS.filter((c) => listed.includes(c)) : input.scoped ? [...COMMANDS] : [] };
}
