/**
 * The dm-master process: one HTTP listener on `master-addr` serving dmctl (`POST /dm/v1/{Method}`), the
 * workers' keep-alive (`POST /internal/v1/heartbeat`), the OpenAPI v1 (`/api/v1/…`, docs at `/api/v1/docs`),
 * `/status` and `/metrics`; the embedded crash-safe store in `data-dir`; the scheduler and its keep-alive
 * sweep.
 *
 * Invariants: the data dir is held by one master at a time (the store's lock); a request body that is not
 * JSON or names no known method is answered with a coded error, never a crash; `stop` closes the listener,
 * the sweep timer and the store.
 */
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import type { MasterConfig } from '../config/master-config.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { parseListenAddr } from '../observability/status-server.js';
import { INTERNAL_PREFIX, type HeartbeatRequest, type HeartbeatResponse } from '../api/internal-api.js';
import { DmMasterService } from './dm-master-service.js';
import { MASTER_METHODS, RPC_PREFIX, type MasterMethod, type MasterService } from './master-api.js';
import { Scheduler } from './scheduler.js';
import { FileMetaStore } from './store/file-meta-store.js';

export interface DmMasterOptions {
  readonly config: MasterConfig;
  readonly log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** Mounts more routes (the OpenAPI) on the listener before it starts. */
  readonly mount?: (app: FastifyInstance, service: MasterService) => Promise<void> | void;
}

export class DmMasterServer {
  private app: FastifyInstance | undefined;
  private store: FileMetaStore | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  service: DmMasterService | undefined;

  constructor(private readonly o: DmMasterOptions) {}

  async start(): Promise<void> {
    const cfg = this.o.config;
    const log = (m: string): void => this.o.log('info', m);
    const store = await FileMetaStore.open({ dir: path.resolve(cfg.dataDir) });
    this.store = store;
    const scheduler = await Scheduler.load(store, log, 60);
    const service = new DmMasterService({ config: cfg, scheduler, log });
    this.service = service;

    const app = Fastify({ logger: false, bodyLimit: 64 << 20 });
    app.setErrorHandler((err: { message?: string; statusCode?: number }, _req, reply) => {
      const e = DmError.of(E.MasterInvalidOperateOp, [`request (${err.message ?? 'invalid'})`, 'dm-master']);
      void reply.status(err.statusCode && err.statusCode < 500 ? err.statusCode : 400).send({ result: false, msg: e.message });
    });
    app.post<{ Params: { method: string } }>(`${RPC_PREFIX}:method`, async (req, reply) => {
      const method = req.params.method as MasterMethod;
      if (!MASTER_METHODS.includes(method)) return reply.status(404).send({ result: false, msg: DmError.of(E.MasterInvalidOperateOp, [req.params.method, 'dm-master']).message });
      const body = (req.body ?? {}) as never;
      return (service[method] as (this: DmMasterService, r: never) => Promise<unknown>).call(service, body);
    });
    app.post(`${INTERNAL_PREFIX}heartbeat`, async (req): Promise<HeartbeatResponse> => {
      const hb = req.body as HeartbeatRequest;
      return service.locked(async () => {
        const refused = await scheduler.heartbeat(hb.name, hb.addr, Math.max(1, Number(hb.keepAliveTtl) || 60), hb.source ?? '');
        if (refused) return { ok: false, msg: refused, source: null, subtasks: [] };
        const src = scheduler.sourceFor(hb.name);
        if (src === undefined || !scheduler.sources.has(src)) return { ok: true, msg: '', source: null, subtasks: [] };
        const subtasks = [...(scheduler.stages.get(src) ?? [])].flatMap(([task, rec]) => {
          const t = scheduler.tasks.get(task);
          return t ? [{ task, taskYaml: t.yaml, stage: rec.stage, resumeSeq: rec.resumeSeq }] : [];
        });
        return { ok: true, msg: '', source: { id: src, yaml: scheduler.sources.get(src)! }, subtasks };
      });
    });
    const registry = new Registry();
    new Gauge({
      name: 'dm_master_worker_state',
      help: 'state of worker, -1 - unrecognized, 0 - offline, 1 - free, 2 - bound',
      labelNames: ['worker'],
      registers: [registry],
      collect() {
        this.reset();
        for (const w of scheduler.workers.keys()) this.set({ worker: w }, { offline: 0, free: 1, relay: 1.5, bound: 2 }[scheduler.workerStage(w)]);
      },
    });
    app.get('/metrics', async (_req, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
    app.get('/status', () => Promise.resolve({ name: cfg.name, leader: true, addr: cfg.advertiseAddr }));
    await this.o.mount?.(app, service);

    const { host, port } = parseListenAddr(cfg.masterAddr);
    await app.listen({ host, port });
    this.app = app;
    this.sweepTimer = setInterval(() => {
      void service.locked(() => scheduler.sweep()).catch((e: unknown) => this.o.log('error', `keep-alive sweep: ${e instanceof Error ? e.message : String(e)}`));
    }, 500);
    log(`dm-master ${cfg.name} listening on ${cfg.masterAddr} (advertise ${cfg.advertiseAddr}), data dir ${cfg.dataDir}: ${scheduler.sources.size} source(s), ${scheduler.tasks.size} task(s), ${scheduler.workers.size} worker(s) known`);
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.app?.close();
    await this.service?.locked(() => Promise.resolve());
    await this.store?.close();
  }
}
