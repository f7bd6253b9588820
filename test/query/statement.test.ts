import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { compileWhere, parseRecordsQuery } from '../../src/datasets/query/index';
import { join, q, raw, render, toDrizzle } from '../../src/datasets/query/statement';
import { FIELDS } from './fixture';

describe('the records statement template', () => {
  it('binds every interpolated value and inlines only statements', () => {
    const value = "x'); drop table t; --";
    const condition = join([q`a = ${value}::text`, q`b in (${join([q`${1}`, q`${null}`], ', ')})`, raw('c is null')], ' and ');
    expect(render(q`select * from t where ${condition} limit ${101}::int`)).toEqual({
      text: 'select * from t where a = $1::text and b in ($2, $3) and c is null limit $4::int',
      params: [value, 1, null, 101],
    });
  });

  it('refuses values that are not strings, numbers or null', () => {
    expect(() => q`a = ${undefined}`).toThrow(TypeError);
    expect(() => q`a in (${['x', 'y']})`).toThrow(TypeError);
    expect(() => q`a = ${{ toString: () => "1; drop table t" }}`).toThrow(TypeError);
  });

  it('gives drizzle the same text and parameters', () => {
    const statement = q`select ${raw('t.a')} from t where (a = ${'x'}) and (b <> ${'y'})`;
    const { sql: text, params } = new PgDialect().sqlToQuery(toDrizzle(statement));
    expect({ text, params }).toEqual(render(statement));
  });

  it('compiles filters for aggregates and exports with every value bound', () => {
    const query = parseRecordsQuery({ c2_name: 'in.(a,b)', c4_count: 'gte.3', c3_district: 'like.Shu*', q: '100%' }, FIELDS);
    const { sql: text, params } = new PgDialect().sqlToQuery(compileWhere(query, FIELDS));
    expect(text).not.toMatch(/Shu|100%|'a'|'b'/);
    expect(params).toEqual(expect.arrayContaining(['a', 'b', '3', 'Shu%', '%100\\%%']));
  });
});
