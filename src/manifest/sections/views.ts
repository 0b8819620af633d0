import { type Command, COMMANDS, type ViewModel } from '../model.js';
import { section } from '../section.js';
import { relationName } from '../table-index.js';

/**
 * `views:` the views the application reads. Each is made security_invoker
 * (PostgreSQL 15+: the view then reads its tables with the rights, and under
 * the policies, of whoever queries it) and granted; before 15 it stays
 * ungranted.
 */
export const viewsSection = section({
  key: 'views',
  build({ raw, report, defaults, tables }) {
    const out: ViewModel[] = [];
    const seen = new Map<string, string>();
    for (const [key, entry] of Object.entries(raw.views ?? {})) {
      const view = entry ?? {};
      const name = relationName(key, view.schema, defaults.schema);
      if (name === null) {
        report.error(['views'], 'invalid-view-name', `${JSON.stringify(key)} is not a view name`, { help: 'write `view`, `schema.view`, or set `schema:` on the entry' }, key);
        continue;
      }
      report.checkIdentifier(['views', key], name.name);
      report.checkIdentifier(['views', key], name.schema);
      const id = `${name.schema}.${name.name}`;
      const previous = seen.get(id);
      if (previous !== undefined) {
        report.error(['views'], 'duplicate-view', `view ${id} is declared twice (first as ${JSON.stringify(previous)})`, {}, key);
        continue;
      }
      if (tables.entries.some((e) => e.name.schema === name.schema && e.name.name === name.name)) {
        report.error(['views'], 'view-is-table', `${id} is declared under tables: too; a relation is a table or a view`, {}, key);
        continue;
      }
      seen.set(id, key);
      const commands: Command[] = view.commands === undefined ? ['select'] : COMMANDS.filter((c) => view.commands?.includes(c));
      out.push({ key, name, commands, reason: view.reason ?? null });
    }
    return out;
  },
});
