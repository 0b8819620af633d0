import type { TableName } from '../manifest/model.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote.js';

export type SqlTextKind = 'ident' | 'literal' | 'sql' | 'comment';

/**
 * A value on its way into a template. It is already quoted for the place it
 * goes, and it refuses to be printed bare: `{{name}}` throws, only
 * `{{ident name}}`, `{{literal value}}`, `{{sql fragment}}` or
 * `{{comment text}}` print it, so a template (including a user's override)
 * cannot put an unquoted name into SQL by accident.
 */
export class SqlText {
  private constructor(
    readonly kind: SqlTextKind,
    private readonly text: string,
  ) {}

  static ident(name: string): SqlText {
    return new SqlText('ident', quoteIdent(name));
  }

  static qualified(name: TableName): SqlText {
    return new SqlText('ident', quoteQualified(name.schema, name.name));
  }

  static literal(value: string): SqlText {
    return new SqlText('literal', quoteLiteral(value));
  }

  /** A fragment built by the SQL builders in this folder from already-quoted parts. */
  static sql(fragment: string): SqlText {
    return new SqlText('sql', fragment);
  }

  /** Text for a `--` comment: one line, so it cannot end the comment and start SQL. */
  static comment(text: string): SqlText {
    return new SqlText('comment', text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim());
  }

  /** The quoted text, for the helper matching its kind. */
  as(kind: SqlTextKind): string {
    if (kind !== this.kind) {
      throw new TypeError(`template used {{${kind}}} on a ${this.kind} value`);
    }
    return this.text;
  }

  /** SQL builders read the quoted text directly. */
  get quoted(): string {
    return this.text;
  }

  toString(): string {
    throw new TypeError(`a template printed a ${this.kind} value without {{${this.kind} ...}}`);
  }
}
