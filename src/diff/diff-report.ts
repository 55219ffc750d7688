/**
 * Renders a DiffResult for people (text: one line per table, then the differing rows under it) and for
 * programs (`--json`: the DiffResult itself, which holds only JSON-safe values). Pure; unit-tested.
 */
import { quoteId, quoteTable } from '../mysql/identifier.js';
import { shardLabel } from './diff-plan.js';
import type { DiffResult, TableDiffResult } from './diff-runner.js';
import type { RowDiff, ShownValue } from './row-diff.js';

export function renderJson(result: DiffResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

const STATUS: Record<TableDiffResult['status'], string> = {
  equal: 'equal',
  different: 'DIFFERENT',
  'missing-downstream': 'MISSING',
  error: 'ERROR',
};

export function renderText(result: DiffResult): string {
  const s = result.summary;
  const lines: string[] = [];
  lines.push(
    `dm diff: ${s.tables} table${s.tables === 1 ? '' : 's'} compared in ${seconds(result.durationMs)}: ${s.equal} equal, ${s.different} different, ${s.errors} error${s.errors === 1 ? '' : 's'}` +
      ` (chunk size ${result.options.chunkSize}, ${result.options.checksum})`,
  );
  for (const t of result.tables) lines.push(...renderTable(t));
  lines.push(result.equal ? 'result: EQUAL' : s.errors > 0 ? 'result: ERROR (see above)' : 'result: DIFFERENT');
  return lines.join('\n') + '\n';
}

function renderTable(t: TableDiffResult): string[] {
  const name = quoteTable(t.target.schema, t.target.table);
  const out: string[] = [];
  const multi = t.shards.length > 1 || t.shards.some((sh) => sh.schema !== t.target.schema || sh.table !== t.target.table);
  let detail: string;
  if (t.status === 'missing-downstream') detail = 'the downstream table does not exist';
  else if (t.status === 'error') detail = t.error?.message ?? 'error';
  else {
    const rows = t.rowsDownstream === t.rowsUpstream ? `${t.rowsDownstream} rows` : `${t.rowsDownstream} rows downstream, ${t.rowsUpstream} upstream`;
    const chunks = t.chunksDifferent > 0 ? `${t.chunksDifferent} of ${t.chunks} chunks differ` : `${t.chunks} chunk${t.chunks === 1 ? '' : 's'}`;
    const how = t.method === 'range' ? `by ${t.key!.map(quoteId).join(', ')} ranges` : t.key ? `by hash of ${t.key.map(quoteId).join(', ')}` : 'as a multiset (no key)';
    detail = `${rows}, ${chunks}, ${how}`;
  }
  out.push(`  ${STATUS[t.status].padEnd(9)} ${name}  ${detail}`);
  if (multi) out.push(`            from ${t.shards.map(shardLabel).join(', ')}`);
  for (const n of t.notes) out.push(`            note: ${n}`);
  if (t.chunksDifferent > 0 && t.rowDiffs.length === 0 && t.differentChunks.length > 0) {
    out.push(`            differing chunks: ${t.differentChunks.join('; ')}`);
  }
  for (const d of t.rowDiffs) out.push(...renderRowDiff(d, multi));
  const hidden = t.rowDiffsFound - t.rowDiffs.reduce((a, d) => a + (d.count ?? 1), 0);
  if (hidden > 0 || t.rowDiffsTruncated) {
    // once the budget is spent the remaining differing chunks are not examined: the count is a lower bound
    const more = hidden > 0 ? `${t.rowDiffsTruncated ? 'at least ' : ''}${hidden} more differing rows` : 'more differences';
    out.push(`            … ${more} not shown (raise --max-rows to see more)`);
  }
  return out;
}

function renderRowDiff(d: RowDiff, multi: boolean): string[] {
  const key = d.key ? Object.entries(d.key).map(([k, v]) => `${quoteId(k)}=${show(v)}`).join(', ') : '';
  const from = d.shard && multi ? `  (${shardLabel(d.shard)})` : '';
  const copies = d.count !== undefined && d.count > 1 ? ` ×${d.count}` : '';
  const out: string[] = [];
  switch (d.kind) {
    case 'missing-downstream':
      out.push(`      - missing downstream ${key || rowText(d.row)}${copies}${from}`);
      if (key && d.row) out.push(`          ${rowText(d.row)}`);
      break;
    case 'extra-downstream':
      out.push(`      + extra downstream   ${key || rowText(d.row)}${copies}`);
      if (key && d.row) out.push(`          ${rowText(d.row)}`);
      break;
    case 'different':
      out.push(`      ~ different        ${key}${from}`);
      for (const c of d.columns ?? []) out.push(`          ${quoteId(c.column)}: upstream ${show(c.upstream)}, downstream ${show(c.downstream)}`);
      break;
    case 'duplicate-upstream':
      out.push(`      ! in several upstream tables ${key}: ${(d.shards ?? []).map(shardLabel).join(', ')}`);
      break;
  }
  return out;
}

function rowText(row: Readonly<Record<string, ShownValue>> | undefined): string {
  if (!row) return '(row not readable any more)';
  return `{${Object.entries(row).map(([k, v]) => `${quoteId(k)}: ${show(v)}`).join(', ')}}`;
}

/** NULL, plain numbers as they are (keys read better: `id`=42), everything else as a JSON string. */
function show(v: ShownValue): string {
  if (v === null) return 'NULL';
  return /^-?\d+(\.\d+)?$/.test(v) ? v : JSON.stringify(v);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
