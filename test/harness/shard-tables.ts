/**
 * Shard tables as DM's shard-merge tests use them: `shard_db_{offset}.t_{offset}` on each upstream, with
 * auto-increment ids that never collide across shards (increment 2, offset 1 or 2), and a burst of inserts,
 * updates and deletes on one shard.
 */
import type { MariaDbServer } from './mariadb-server.js';

/** SQL creating shard `offset`'s table with `rows` rows. */
export function shardTableSql(offset: number, rows: number): string {
  return `CREATE DATABASE shard_db_${offset}; USE shard_db_${offset};
  CREATE TABLE shard_db_${offset}.t_${offset} (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, c VARCHAR(60)) AUTO_INCREMENT = ${offset};
  SET SESSION auto_increment_increment = 2, auto_increment_offset = ${offset};
  INSERT INTO shard_db_${offset}.t_${offset} (k, c) SELECT seq % 100, CONCAT('row ', seq) FROM seq_1_to_${rows};`;
}

/** `n` inserts, then updates and deletes of some rows, on shard `offset` (repeatable: `c` never outgrows its column). */
export async function shardWrites(s: MariaDbServer, offset: number, n: number): Promise<void> {
  const t = `shard_db_${offset}.t_${offset}`;
  await s.sql(`USE shard_db_${offset}; SET SESSION auto_increment_increment = 2, auto_increment_offset = ${offset};
    INSERT INTO ${t} (k, c) SELECT seq % 100, CONCAT('new ', seq) FROM seq_1_to_${n};
    UPDATE ${t} SET c = CONCAT(LEFT(c, 40), ' upd') WHERE k % 7 = 0;
    DELETE FROM ${t} WHERE k % 13 = 0 LIMIT 20`);
}
