import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db, type OpenedDb } from './db';
import { checkLiteralSemantics, first, literal, rows, run, sql, trusted } from './sql';

describe('sql literals', () => {
  it('escapes values and keeps fragments', () => {
    expect(literal("O'Brien")).toBe("'O''Brien'");
    expect(literal(null)).toBe('null');
    expect(literal(undefined)).toBe('null');
    expect(literal(42)).toBe('42');
    expect(literal(true)).toBe('true');
    expect(literal(['a', 1])).toBe("('a', 1)");
    expect(literal([])).toBe('(null)');
    expect(literal(new Date(Date.UTC(2025, 0, 2)))).toBe("'2025-01-02T00:00:00.000Z'::timestamptz");
    expect(sql`select ${trusted('x')} where a = ${"'; drop table t; --"}`.text).toBe("select x where a = '''; drop table t; --'");
    expect(() => literal(Number.NaN)).toThrow();
    expect(() => literal('a\u0000b')).toThrow(/NUL/);
  });

  describe('against PostgreSQL', () => {
    let dir: string;
    let opened: OpenedDb;
    let db: Db;
    beforeAll(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsp-sql-test-'));
      opened = await openDb({ dataDir: dir });
      db = opened.db;
      await checkLiteralSemantics(db);
      await run(db, sql`create table t (v text)`);
    });
    afterAll(async () => {
      await opened.close();
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('stores and finds every awkward string exactly', async () => {
      const values = ["'", "''", '\\', "\\'", '$$', '$1', '--', '/*', '病历：“引号”', '\n\t', 'E\'x\'', '😀', ' '.repeat(3)];
      for (const v of values) await run(db, sql`insert into t (v) values (${v})`);
      const back = await rows<{ v: string }>(db, sql`select v from t`);
      expect(back.map((r) => r.v)).toEqual(values);
      for (const v of values) expect(await first<{ v: string }>(db, sql`select v from t where v = ${v}`)).toEqual({ v });
      expect((await rows(db, sql`select v from t where v in ${values.slice(0, 3)}`)).length).toBe(3);
    });
  });
});
