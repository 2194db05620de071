import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Nodes starting together (several nodes on one Postgres) take turns: one applies, the others see it done. */
const LOCK = 'SELECT pg_advisory_xact_lock(724530191)';

/** Applies pending `migrations/NNN_name.sql` files in order, each in its own transaction. */
export async function migrate(db: Db): Promise<string[]> {
  await db.transaction(async (tx) => {
    await tx.query(LOCK);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const done = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
  const files = fs.readdirSync(migrationsDir).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = fs.readFileSync(path.join(migrationsDir, file), 'utf8');
    const ran = await db.transaction(async (tx) => {
      await tx.query(LOCK);
      if ((await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file])).rows.length) return false;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      return true;
    });
    if (ran) applied.push(file);
  }
  return applied;
}

/**
 * Splits a migration into statements (extended-protocol queries take one at a time): on `;`
 * outside quotes, dollar-quoted bodies (`$$ … $$`, `$fn$ … $fn$`) and `--` comments.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
    if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
      current += '\n';
    } else if (dollar) {
      const close = sql.indexOf(dollar[0], i + dollar[0].length);
      const end = close < 0 ? sql.length : close + dollar[0].length;
      current += sql.slice(i, end);
      i = end;
    } else if (sql[i] === "'") {
      let end = i + 1;
      while (end < sql.length && !(sql[end] === "'" && sql[end + 1] !== "'")) end += sql[end] === "'" ? 2 : 1;
      current += sql.slice(i, end + 1);
      i = end + 1;
    } else if (sql[i] === ';') {
      out.push(current);
      current = '';
      i++;
    } else {
      current += sql[i];
      i++;
    }
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}
