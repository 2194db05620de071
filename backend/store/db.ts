import fs from 'node:fs';
import path from 'node:path';

/** The slice of Postgres the repositories need; PGlite and node-postgres both provide it. */
export interface Db {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (tx: Pick<Db, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens the database: Postgres at `databaseUrl` when given, otherwise embedded PGlite with its
 * files in `<dataDir>/pglite` (or in memory for `dataDir === ':memory:'`, as tests use).
 */
export async function openDb(opts: { databaseUrl?: string | undefined; dataDir: string; onPoolError?: (err: Error) => void }): Promise<Db> {
  if (opts.databaseUrl) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection the server dropped (a restart, a failover, an admin): the pool discards
    // it and opens another when needed. Unhandled, this event would throw and end the process.
    pool.on('error', (err) => (opts.onPoolError ?? ((e: Error) => console.warn('[fitlive] postgres idle connection lost:', e.message)))(err));
    return {
      query: async (sql, params) => ({ rows: (await pool.query(sql, params as unknown[])).rows }),
      async transaction(fn) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const out = await fn({ query: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[])).rows }) });
          await client.query('COMMIT');
          return out;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  let dir: string | undefined;
  if (opts.dataDir !== ':memory:') {
    dir = path.join(opts.dataDir, 'pglite');
    fs.mkdirSync(dir, { recursive: true });
  }
  const pglite = dir ? await PGlite.create(dir) : await PGlite.create();
  return {
    query: async (sql, params) => ({ rows: (await pglite.query(sql, params as unknown[])).rows as never[] }),
    transaction: (fn) =>
      pglite.transaction((tx) => fn({ query: async (sql, params) => ({ rows: (await tx.query(sql, params as unknown[])).rows as never[] }) })),
    close: () => pglite.close(),
  };
}
