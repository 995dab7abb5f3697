import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, postgresUnavailable, usePostgres } from '../testing/postgres.js';
import { describeStoreConformance } from './conformance.js';
import { MIGRATIONS } from './migrations.js';
import { PG_MIGRATIONS } from './postgres/migrations.js';
import { databaseLocation, openPostgresStore } from './postgres.js';

const postgres = usePostgres();

let url = '';
const clients: pg.Client[] = [];

async function client(): Promise<pg.Client> {
  const next = new pg.Client({ connectionString: url });
  // Stopping the database (the outage test) ends these connections; that is expected.
  next.on('error', () => {});
  await next.connect();
  clients.push(next);
  return next;
}

afterAll(async () => {
  await Promise.all(clients.map((each) => each.end()));
});

if (!postgresUnavailable) {
  describeStoreConformance('postgresql', {
    async fresh() {
      url = await freshDatabase(postgres(), 'conformance');
    },
    open: (options) => openPostgresStore({ url, poolSize: 4, ...options }),
    async sql<R>(text: string): Promise<R[]> {
      return (await (await client()).query(text)).rows as R[];
    },
    async write(text) {
      await (await client()).query(text);
    },
    async refuseParameter(key, message) {
      await (await client()).query(`
        CREATE FUNCTION refuse_${key}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.key = '${key}' THEN RAISE EXCEPTION '${message}'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER refuse_${key} BEFORE INSERT ON configuration_parameters
          FOR EACH ROW EXECUTE FUNCTION refuse_${key}();`);
    },
  });

  describe('openPostgresStore', () => {
    it('knows the same schema versions as the SQLite store', () => {
      expect(PG_MIGRATIONS).toHaveLength(MIGRATIONS.length);
    });

    it('refuses a database written by a newer schema, naming both versions', async () => {
      url = await freshDatabase(postgres(), 'newer');
      await (await openPostgresStore({ url })).close();
      await (await client()).query(
        `INSERT INTO schema_migrations (version, applied_at) VALUES (${MIGRATIONS.length + 5}, 'now')`,
      );
      const opening = openPostgresStore({ url });
      await expect(opening).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
      await expect(opening).rejects.toThrow(`schema version ${MIGRATIONS.length + 5}`);
    });

    it('says which database cannot be reached, never its password', async () => {
      const running = postgres();
      const wrong = `postgres://${running.user}:${running.password}@127.0.0.1:1/nowhere`;
      const opening = openPostgresStore({ url: wrong, connectTimeoutMs: 2000 });
      await expect(opening).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(opening).rejects.toThrow('postgres://slipstream:***@127.0.0.1:1/nowhere');
      await expect(opening).rejects.not.toThrow(running.password);
      const badPassword = running.url.replace(`:${running.password}@`, ':wrong@');
      await expect(openPostgresStore({ url: badPassword })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    });

    it('answers STORE_UNAVAILABLE while the database is down, and again once it is back', async () => {
      const running = postgres();
      url = await freshDatabase(running, 'outage');
      const store = await openPostgresStore({ url, connectTimeoutMs: 2000 });
      try {
        await store.createUser({ name: 'before', role: 'user', passwordHash: 'h' });
        await running.stop();
        try {
          await expect(store.listUsers()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
          await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
          await expect(store.transaction(async (tx) => tx.listUsers())).rejects.toMatchObject({
            code: 'STORE_UNAVAILABLE',
          });
        } finally {
          await running.start();
        }
        await store.ping();
        expect((await store.listUsers()).map((user) => user.name)).toEqual(['before']);
      } finally {
        await store.close();
      }
    });
  });

  describe('databaseLocation', () => {
    it('hides the password and refuses what is not a postgres URL without echoing it', () => {
      expect(databaseLocation('postgres://app:s3cret@db.example:5432/slipstream?sslmode=require')).toBe(
        'postgres://app:***@db.example:5432/slipstream',
      );
      expect(() => databaseLocation('s3cret-not-a-url')).toThrow(/postgres:\/\/USER:PASSWORD@HOST/);
      expect(() => databaseLocation('s3cret-not-a-url')).not.toThrow(/s3cret/);
      expect(() => databaseLocation('mysql://a:b@c/d')).toThrow(/must start with postgres:\/\//);
    });
  });
}
