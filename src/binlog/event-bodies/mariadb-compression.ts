/**
 * MariaDB compressed events (log_bin_compress): QUERY_COMPRESSED and *_ROWS_COMPRESSED carry their query
 * text / row data as [header byte][uncompressed length, big-endian][zlib stream]. The header's low 3 bits
 * give the length width; bits 4–6 the algorithm (0 = zlib, the only one MariaDB writes).
 */
import { inflateSync } from 'node:zlib';

export function mariadbUncompress(data: Buffer): Buffer {
  if (data.length < 1) throw new Error('compressed event data is empty');
  const head = data[0]!;
  const lenBytes = head & 0x07;
  const alg = (head >> 4) & 0x07;
  if (alg !== 0) throw new Error(`unknown MariaDB compression algorithm ${alg}`);
  if (lenBytes < 1 || lenBytes > 4 || data.length < 1 + lenBytes) throw new Error(`bad compressed header 0x${head.toString(16)}`);
  const expected = data.readUIntBE(1, lenBytes);
  const out = inflateSync(data.subarray(1 + lenBytes));
  if (out.length !== expected) throw new Error(`uncompressed ${out.length} bytes, header says ${expected}`);
  return out;
}
