import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

/** One in-process Postgres with pgvector, also served over the wire protocol for the `pg` client. */
export interface PgliteWire {
  db: PGlite;
  wire: pg.Client;
  stop(): Promise<void>;
}

// PGlite takes seconds to boot: a test file starts one and gives each index its own table.
export async function startPgliteWire(): Promise<PgliteWire> {
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  const wire = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await wire.connect();
  return {
    db,
    wire,
    async stop() {
      await wire.end();
      await server.stop();
      await db.close();
    },
  };
}
