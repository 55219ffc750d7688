/**
 * What the dmctl tests share: an in-memory {@link Files}, a fake master that records requests and answers
 * from a table, and a captured stdout/stderr. Used only by tests.
 */
import path from 'node:path';
import type { MasterMethod } from '../master/master-api.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import type { CtlEnv, Files } from './ctl-env.js';
import type { MasterCaller, RequestOf, ResponseOf } from './master-client.js';

/** Files held in a map (path → text); directories are implied by the paths. */
export function memFiles(initial: Record<string, string> = {}): Files & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    read(p) {
      const t = data.get(p);
      if (t === undefined) throw DmError.of(E.ConfigReadCfgFromFile, [`${p}: no such file or directory`]);
      return t;
    },
    isFile: (p) => data.has(p),
    isDir: (p) => [...data.keys()].some((k) => k.startsWith(`${p.replace(/\/+$/, '')}/`)),
    list: (dir) =>
      [...data.keys()]
        .filter((k) => path.dirname(k) === path.normalize(dir))
        .map((k) => path.basename(k))
        .sort(),
    write(p, text) {
      data.set(p, text);
    },
  };
}

export interface Recorded {
  method: MasterMethod;
  req: unknown;
}

/** A master answering `answers[method]` (a value, or a function of the request); every call is recorded. */
export function fakeMaster(answers: Partial<Record<MasterMethod, unknown>> = {}): MasterCaller & { calls: Recorded[] } {
  const calls: Recorded[] = [];
  return {
    calls,
    call<M extends MasterMethod>(method: M, req: RequestOf<M>): Promise<ResponseOf<M>> {
      calls.push({ method, req });
      const a = answers[method];
      const v: unknown = typeof a === 'function' ? (a as (r: unknown) => unknown)(req) : (a ?? { result: true, msg: '', sources: [] });
      return Promise.resolve(v as ResponseOf<M>);
    },
  };
}

/** A CtlEnv over a fake master and in-memory files, with stdout captured in `out`. */
export function fakeEnv(master: MasterCaller, files: Files = memFiles()): CtlEnv & { output: string[] } {
  const output: string[] = [];
  return { master: () => master, out: (t) => void output.push(t), files, output };
}

/** Captured stdout/stderr for runDmctl. */
export function captureIO(): { out(t: string): void; err(t: string): void; stdout: () => string; stderr: () => string } {
  const o: string[] = [];
  const e: string[] = [];
  return { out: (t) => void o.push(t), err: (t) => void e.push(t), stdout: () => o.join(''), stderr: () => e.join('') };
}
