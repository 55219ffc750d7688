/**
 * `dm playground`: starts a local MariaDB (binlog ROW/FULL, GTID) on a loopback port, writes a few rows of
 * every common column type, and shows them decoded from the live binlog by the same code `dm binlog` uses.
 * The server stays up for the user to explore (`dm binlog --host ...`) until Ctrl-C; `--exit` stops at once.
 * This grows into DM's tutorial (shards merged into one downstream) as the migration units land.
 */
import { Command } from 'commander';
import { MariaDbServer, TEST_PASSWORD } from '../../playground/local-mariadb.js';
import { EventPrinter } from '../../binlog/event-printer.js';
import { fetchTableSchema } from '../../mysql/information-schema.js';
import { writeStdout } from '../write-stdout.js';
import { streamLive } from './binlog-live.js';

const DEMO_SQL = `
CREATE DATABASE shop;
CREATE TABLE shop.orders (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer VARCHAR(64) NOT NULL,
  amount DECIMAL(12,2) NOT NULL,
  status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new',
  tags SET('gift','express','fragile') NULL,
  note TEXT NULL,
  created DATETIME(3) NOT NULL,
  updated TIMESTAMP(6) NULL,
  attrs JSON NULL
) DEFAULT CHARSET = utf8mb4;
INSERT INTO shop.orders (customer, amount, status, tags, note, created, updated, attrs) VALUES
  ('Zoë', 19.99, 'new', 'gift', 'first order 🎉', '2026-01-02 03:04:05.678', '2026-01-02 03:04:05.678901', '{"coupon": "NY26"}'),
  ('Ravi', 250.00, 'paid', 'express,fragile', NULL, '2026-02-03 10:00:00', NULL, NULL);
UPDATE shop.orders SET status = 'shipped', amount = amount + 5 WHERE customer = 'Ravi';
DELETE FROM shop.orders WHERE customer = 'Zoë';
`;

export function playgroundCommand(): Command {
  return new Command('playground')
    .description('Start a local MariaDB with binlog, write some rows, and show them decoded from the live binlog')
    .option('--exit', 'stop the server and exit after the demo instead of waiting for Ctrl-C')
    .addHelpText('after', `\nThe playground server listens on 127.0.0.1 only; its user is root with the fixed password '${TEST_PASSWORD}'.\nExport DM_PASSWORD=${TEST_PASSWORD} (and MYSQL_PWD for the mariadb client) to use the commands it prints.`)
    .action(async (opts: { exit?: boolean }) => {
      const log = (s: string): void => void process.stderr.write(`${s}\n`);
      log('dm playground: starting a local MariaDB (binlog_format=ROW, binlog_row_image=FULL, GTID) ...');
      const server = await MariaDbServer.start({ serverId: 1 });
      try {
        const { host, port, user, password } = server.config();
        log(`dm playground: MariaDB is up on ${host}:${port} (user ${user}, the playground password — see \`dm playground --help\`; loopback only)`);
        const start = await server.masterStatus();
        log('dm playground: creating shop.orders and writing rows (insert, update, delete) ...');
        await server.sql(DEMO_SQL);
        log(`dm playground: decoding the binlog from ${start.file}:${start.position} as a replica (dm binlog):\n`);
        const conn = await server.connect();
        const printer = new EventPrinter({
          write: writeStdout,
          resolveSchema: (tm) => fetchTableSchema(conn, tm.schema, tm.table),
        });
        try {
          await streamLive({ host, port, user, password, serverId: 1001, startFile: start.file, startPos: start.position, toEnd: true, heartbeatMs: 30_000 }, printer);
        } finally {
          await printer.flush();
          await conn.end();
        }
        log(`\ndm playground: try it yourself (DM_PASSWORD / MYSQL_PWD hold the playground password):\n  node dist/src/cli/dm.js binlog --host ${host} -P ${port} -u ${user} --start-file ${start.file} --to-end`);
        log(`  mariadb -h ${host} -P ${port} -u ${user} shop`);
        if (opts.exit) return;
        log('dm playground: running; press Ctrl-C to stop and remove the server.');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      } finally {
        log('dm playground: stopping MariaDB ...');
        await server.stop();
      }
    });
}
