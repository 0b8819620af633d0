import { describe, expect, it } from 'vitest';
import { type Expr, walkExpression } from '../../src/sql/expression.js';
import { parseExpression, parseFunctionBody } from '../../src/sql/parse-expression.js';

/** A compact rendering of the tree, to compare shapes. */
function shape(e: Expr): string {
  switch (e.kind) {
    case 'const':
      return e.value === null ? 'NULL' : `${JSON.stringify(e.value)}:${e.type}`;
    case 'column':
      return e.qualifier === null ? e.name : `${e.qualifier}.${e.name}`;
    case 'param':
      return `$${e.index}`;
    case 'call':
      return `${e.schema === null ? '' : `${e.schema}.`}${e.name}(${e.args.map(shape).join(', ')})`;
    case 'cast':
      return `(${shape(e.expr)})::${e.type}`;
    case 'op':
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case 'negate':
      return `-${shape(e.expr)}`;
    case 'and':
    case 'or':
      return `${e.kind.toUpperCase()}[${e.args.map(shape).join(', ')}]`;
    case 'not':
      return `NOT ${shape(e.expr)}`;
    case 'test':
      return `${shape(e.expr)} IS ${e.negated ? 'NOT ' : ''}${e.test}`;
    case 'distinct':
      return `${shape(e.left)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${shape(e.right)}`;
    case 'any':
      return `${shape(e.left)} ${e.op} ${e.all ? 'ALL' : 'ANY'}[${e.items.map(shape).join(', ')}]`;
    case 'between':
      return `${shape(e.expr)} ${e.negated ? 'NOT ' : ''}BETWEEN ${shape(e.low)} AND ${shape(e.high)}`;
    case 'nullif':
      return `NULLIF(${shape(e.left)}, ${shape(e.right)})`;
    case 'coalesce':
      return `COALESCE(${e.args.map(shape).join(', ')})`;
    case 'case':
      return `CASE ${e.whens.map((w) => `${shape(w.when)}=>${shape(w.then)}`).join(' ')} ELSE ${e.otherwise === null ? '-' : shape(e.otherwise)}`;
    case 'array':
      return `ARRAY[${e.items.map(shape).join(', ')}]`;
    case 'sqlvalue':
      return e.name.toUpperCase();
    case 'sublink':
      return e.inner === null ? `${e.form.toUpperCase()}(${e.tables.join(',')})` : `(SELECT ${shape(e.inner)})`;
    case 'opaque':
      return `?`;
  }
}

describe('parseExpression reads what pg_get_expr prints', () => {
  it('the generated tenant predicate and its sub-select form', () => {
    expect(shape(parseExpression("(company_id = (NULLIF(current_setting('app.company_id'::text, true), ''::text))::uuid)"))).toBe(
      '(company_id = (NULLIF(current_setting(("app.company_id":unknown)::text, "true":bool), ("":unknown)::text))::uuid)',
    );
    expect(shape(parseExpression('(organization_id = ( SELECT rlsgen.verified_tenant_uuid() AS verified_tenant_uuid))'))).toBe('(organization_id = (SELECT rlsgen.verified_tenant_uuid()))');
    expect(shape(parseExpression("(\"Org ID\" = (NULLIF(current_setting('app.org_id'::text, true), ''::text))::bigint)"))).toBe(
      '(Org ID = (NULLIF(current_setting(("app.org_id":unknown)::text, "true":bool), ("":unknown)::text))::bigint)',
    );
  });

  it('boolean structure, tests, quantifiers, CASE and literals', () => {
    expect(shape(parseExpression("((current_setting('app.company_id'::text, true) IS NULL) OR (company_id = x) OR true)"))).toBe(
      'OR[current_setting(("app.company_id":unknown)::text, "true":bool) IS null, (company_id = x), "true":bool]',
    );
    expect(shape(parseExpression("((status = ANY (ARRAY['a'::text, 'b'::text])) AND ((n >= 1) AND (n <= 3)))"))).toBe(
      'AND[status = ANY[("a":unknown)::text, ("b":unknown)::text], (n >= "1":numeric), (n <= "3":numeric)]',
    );
    expect(shape(parseExpression("(NOT (status IS DISTINCT FROM 'q'::text)) AND (n > '-1'::integer) AND CASE WHEN (n = 1) THEN true ELSE false END"))).toBe(
      'AND[NOT status IS DISTINCT FROM ("q":unknown)::text, (n > ("-1":unknown)::integer), CASE (n = "1":numeric)=>"true":bool ELSE "false":bool]',
    );
    expect(shape(parseExpression("(status ~~ 'a%'::text) AND (((n)::text || 'x'::text) = 'y'::text)"))).toBe('AND[(status ~~ ("a%":unknown)::text), (((n)::text || ("x":unknown)::text) = ("y":unknown)::text)]');
    expect(shape(parseExpression("x NOT IN (1, 2) AND y BETWEEN 1 AND 3 AND z NOT LIKE 'a' AND w::character varying(10) = 'q'"))).toBe(
      'AND[NOT x = ANY["1":numeric, "2":numeric], y BETWEEN "1":numeric AND "3":numeric, (z !~~ "a":unknown), ((w)::character varying = "q":unknown)]',
    );
  });

  it('role identities, sub-selects with FROM, EXISTS, and what it cannot read', () => {
    const text = "((role_name = CURRENT_USER) OR (EXISTS ( SELECT 1\n   FROM pg_roles\n  WHERE (pg_roles.rolname = SESSION_USER))) OR (company_id IN ( SELECT t2.company_id FROM public.t t2 JOIN m ON true)))";
    expect(shape(parseExpression(text))).toBe('OR[(role_name = CURRENT_USER), EXISTS(pg_roles), IN?]'.replace('IN?', 'ANY(public.t,m)'));
    expect(parseExpression('company_id = ').kind).toBe('opaque');
    expect(parseExpression("'unterminated").kind).toBe('opaque');
    expect(shape(parseExpression('(x)[1] = 2'))).toBe('(? = "2":numeric)');
  });

  it('keeps the source span of each node', () => {
    const text = "(company_id = 1) OR (owner_id = current_setting('app.user_id'::text, true)::uuid)";
    const spans = [...walkExpression(parseExpression(text))].filter((e) => e.kind === 'op').map((e) => text.slice(e.span[0], e.span[1]));
    expect(spans).toEqual(['company_id = 1', "owner_id = current_setting('app.user_id'::text, true)::uuid"]);
  });
});

describe('parseFunctionBody', () => {
  it('reads single FROM-less statements and refuses the rest', () => {
    const uid = parseFunctionBody("\n  select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid;\n");
    expect('kind' in uid ? shape(uid) : uid).toBe('(NULLIF(current_setting("request.jwt.claim.sub":unknown, "true":bool), "":unknown))::uuid');
    const ret = parseFunctionBody('RETURN $1 = $2');
    expect('kind' in ret ? shape(ret) : ret).toBe('($1 = $2)');
    expect(parseFunctionBody('SELECT company_id FROM users WHERE id = $1')).toEqual({ reason: 'its body reads tables or is more than one expression' });
    expect(parseFunctionBody('SELECT 1; SELECT 2')).toEqual({ reason: 'its body has several statements' });
    expect(parseFunctionBody('BEGIN ATOMIC\n SELECT $1 + 1;\nEND')).toMatchObject({ kind: 'op' });
  });
});
