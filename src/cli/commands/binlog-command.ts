/**
 * `dm binlog`: decode binlog files, or a live stream read as a replica, into JSON lines — one object per
 * event with file, position, type, GTID and decoded rows — the way `mysqlbinlog -v` helps a DBA.
 */
import { Command, Option } from 'commander';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { readRawEventBatches } from '../../binlog/binlog-file-reader.js';
import { EventDecoder } from '../../binlog/event-decoder.js';
import { EventPrinter, type SchemaResolver } from '../../binlog/event-printer.js';
import { fetchTableSchema } from '../../mysql/information-schema.js';
import { writeStdout } from '../write-stdout.js';
import { streamLive, type LiveOptions } from './binlog-live.js';

export interface BinlogCliOptions {
  host?: string;
  port: string;
  user: string;
  password?: string;
  serverId?: string;
  flavor?: 'mysql' | 'mariadb';
  startFile?: string;
  startPos: string;
  gtid?: string;
  toEnd?: boolean;
  maxEvents?: string;
  rows: boolean;
  names: boolean;
  heartbeat: string;
}

function schemaResolverFor(opts: BinlogCliOptions): { resolve: SchemaResolver; close: () => Promise<void> } | undefined {
  if (!opts.host || !opts.names) return undefined;
  let conn: Promise<mysql.Connection> | undefined;
  const password = passwordOf(opts);
  return {
    resolve: async (tm) => {
      conn ??= mysql.createConnection({ host: opts.host, port: Number(opts.port), user: opts.user, password, charset: 'utf8mb4' });
      try {
        return await fetchTableSchema(await conn, tm.schema, tm.table);
      } catch {
        return undefined; // names are a convenience: fall back to the binlog's own metadata
      }
    },
    close: async () => {
      if (conn) await (await conn).end().catch(() => undefined);
    },
  };
}

/** The password from the option or, to keep it out of `ps`, from DM_PASSWORD / MYSQL_PWD. */
export function passwordOf(opts: { password?: string | undefined }): string {
  return opts.password ?? process.env.DM_PASSWORD ?? process.env.MYSQL_PWD ?? '';
}

async function decodeFiles(files: string[], opts: BinlogCliOptions): Promise<void> {
  const resolver = schemaResolverFor(opts);
  const printer = new EventPrinter({ rows: opts.rows, resolveSchema: resolver?.resolve, write: writeStdout });
  const max = opts.maxEvents ? Number(opts.maxEvents) : Infinity;
  try {
    for (const file of files) {
      // one decoder per file: each file starts with its own FORMAT_DESCRIPTION
      const decoder = new EventDecoder({ file: path.basename(file) });
      const start = Number(opts.startPos);
      if (start > 4) {
        // the FORMAT_DESCRIPTION at offset 4 is needed to decode anything later in the file
        for await (const batch of readRawEventBatches(file)) {
          decoder.decode(batch[0]!.raw, batch[0]!.offset);
          break;
        }
      }
      for await (const batch of readRawEventBatches(file, { start })) {
        for (const { raw, offset } of batch) {
          if (printer.count >= max) return;
          await printer.handle(decoder.decode(raw, offset));
        }
      }
    }
  } finally {
    await printer.flush();
    await resolver?.close();
  }
}

export function binlogCommand(): Command {
  return new Command('binlog')
    .description('Decode binlog files, or a live binlog stream read as a replica, to JSON lines (one object per event)')
    .argument('[files...]', 'binlog or relay log files to decode (omit to read a live stream with --host)')
    .option('-h, --host <host>', 'upstream MySQL/MariaDB host for a live stream (with files: only used to name columns)')
    .option('-P, --port <port>', 'upstream port', '3306')
    .option('-u, --user <user>', 'upstream user (needs REPLICATION SLAVE, REPLICATION CLIENT)', 'root')
    .option('-p, --password <password>', 'upstream password (or set DM_PASSWORD / MYSQL_PWD)')
    .option('--server-id <id>', 'server id this reader registers with (unique among replicas); random by default')
    .addOption(new Option('--flavor <flavor>', 'upstream flavor (detected when omitted)').choices(['mysql', 'mariadb']))
    .option('--start-file <file>', 'live: binlog file to start from (default: the current one)')
    .option('--start-pos <pos>', 'start position in the file', '4')
    .option('--gtid <set>', 'live: start after this GTID set (MySQL uuid:1-5 or MariaDB 0-1-100)')
    .option('--to-end', 'live: stop when the position the server had at start is reached')
    .option('--max-events <n>', 'stop after printing n events')
    .option('--heartbeat <seconds>', 'live: heartbeat period', '30')
    .option('--no-rows', 'do not decode row images')
    .option('--no-names', 'do not ask the server for column names (binlog metadata is still used)')
    .addHelpText(
      'after',
      `
Examples:
  dm binlog /var/lib/mysql/mysql-bin.000001
  dm binlog --host 127.0.0.1 -P 3306 -u repl --start-file mysql-bin.000003 --start-pos 4
  DM_PASSWORD=secret dm binlog --host db1 --gtid 0-1-100 --to-end | jq .`,
    )
    .action(async (files: string[], opts: BinlogCliOptions) => {
      if (files.length > 0) return decodeFiles(files, opts);
      if (!opts.host) throw new Error('give binlog files to decode, or --host to read a live stream (see --help)');
      const resolver = schemaResolverFor(opts);
      const printer = new EventPrinter({ rows: opts.rows, resolveSchema: resolver?.resolve, write: writeStdout });
      const live: LiveOptions = {
        host: opts.host,
        port: Number(opts.port),
        user: opts.user,
        password: passwordOf(opts),
        serverId: opts.serverId ? Number(opts.serverId) : 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000),
        flavor: opts.flavor,
        startFile: opts.startFile,
        startPos: Number(opts.startPos),
        gtid: opts.gtid,
        toEnd: opts.toEnd === true,
        maxEvents: opts.maxEvents ? Number(opts.maxEvents) : undefined,
        heartbeatMs: Number(opts.heartbeat) * 1000,
      };
      try {
        await streamLive(live, printer);
      } finally {
        await printer.flush();
        await resolver?.close();
      }
    });
}
