/**
 * The dm-worker process: an HTTP listener on `worker-addr` (internal API for the master, `/status`,
 * `/metrics`) and the keep-alive loop that registers with the master, reports what runs and receives what
 * should run (worker-protocol.ts). One bound source at a time, run by a {@link SourceWorker}.
 *
 * Invariants: a source is let go (its runners stopped, checkpoints flushed) before another one is taken;
 * when no master answered for half the keep-alive TTL the worker stops its subtasks (the master gives the
 * source to another worker after the whole TTL), so one source never runs on two workers for long; `stop` ends every
 * runner, timer and socket it started.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { formatWorkerConfig, type WorkerConfig } from '../config/worker-config.js';
import { parseListenAddr } from '../observability/status-server.js';
import { createTaskMetrics } from '../observability/task-metrics.js';
import { SourceWorker } from './source-worker.js';
import { INTERNAL_PREFIX, type HeartbeatRequest, type HeartbeatResponse, type WorkerStatusResponse } from '../api/internal-api.js';
import { postJson } from '../api/post-json.js';

export interface DmWorkerOptions {
  readonly config: WorkerConfig;
  readonly log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** Heartbeat interval (ms); default min(1 s, TTL/3). */
  readonly heartbeatMs?: number;
}

export class DmWorkerServer {
  private app: FastifyInstance | undefined;
  private source: SourceWorker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastOk = Date.now();
  private masters: string[];
  private readonly cfg: WorkerConfig;

  constructor(private readonly o: DmWorkerOptions) {
    this.cfg = o.config;
    this.masters = o.config.join.split(',').map((a) => a.trim()).filter(Boolean);
  }

  private get intervalMs(): number {
    return this.o.heartbeatMs ?? Math.max(100, Math.min(1000, (this.cfg.keepAliveTtl * 1000) / 3));
  }

  async start(): Promise<void> {
    const app = Fastify({ logger: false, bodyLimit: 64 << 20 });
    const registry = createTaskMetrics({ task: '', worker: this.cfg.name, statuses: () => this.source?.unitStatuses() ?? [] });
    app.get('/metrics', async (_req, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
    app.get('/status', () => Promise.resolve(this.statusResponse()));
    app.post(`${INTERNAL_PREFIX}status`, () => Promise.resolve(this.statusResponse()));
    app.post(`${INTERNAL_PREFIX}config`, () => Promise.resolve({ result: true, msg: '', cfg: formatWorkerConfig(this.cfg) }));
    app.post(`${INTERNAL_PREFIX}poke`, () => {
      this.kick();
      return Promise.resolve({ ok: true });
    });
    const { host, port } = parseListenAddr(this.cfg.workerAddr);
    await app.listen({ host, port });
    this.app = app;
    this.o.log('info', `dm-worker ${this.cfg.name} listening on ${this.cfg.workerAddr} (advertise ${this.cfg.advertiseAddr}), joining ${this.masters.join(', ')}`);
    this.kick();
  }

  private statusResponse(): WorkerStatusResponse {
    return { name: this.cfg.name, source: this.source?.sourceId ?? '', subtasks: this.source?.statuses() ?? [] };
  }

  /** Heartbeats now (or right after the one in flight). */
  private kick(): void {
    if (this.stopped) return;
    if (this.beating) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.beating = this.beat().finally(() => {
      this.beating = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.timer = setTimeout(() => this.kick(), this.intervalMs);
      }
    });
  }

  private async beat(): Promise<void> {
    const req: HeartbeatRequest = { name: this.cfg.name, addr: this.cfg.advertiseAddr, keepAliveTtl: this.cfg.keepAliveTtl, source: this.source?.sourceId ?? '', subtasks: this.source?.statuses() ?? [] };
    let answer: HeartbeatResponse | undefined;
    for (const [i, m] of this.masters.entries()) {
      try {
        answer = await postJson<HeartbeatResponse>(m, `${INTERNAL_PREFIX}heartbeat`, req, Math.max(1000, Math.min(5000, (this.cfg.keepAliveTtl * 1000) / 3)));
        // the master that answered goes first next time
        if (i > 0) this.masters = [m, ...this.masters.filter((x) => x !== m)];
        break;
      } catch {
        // try the next master
      }
    }
    if (!answer) {
      const silentMs = Date.now() - this.lastOk;
      if (this.source && silentMs > this.cfg.keepAliveTtl * 500) {
        this.o.log('warn', `no dm-master answered for ${Math.round(silentMs / 1000)} s (half the keepalive-ttl of ${this.cfg.keepAliveTtl} s): stopping the subtasks of ${this.source.sourceId}; the master gives the source to another worker`);
        await this.release();
      }
      return;
    }
    this.lastOk = Date.now();
    if (!answer.ok) {
      this.o.log('error', `dm-master refused this worker: ${answer.msg}`);
      return;
    }
    const want = answer.source;
    if (this.source && (!want || want.id !== this.source.sourceId || want.yaml !== this.source.sourceYaml)) await this.release();
    if (want && !this.source) {
      try {
        this.source = new SourceWorker(want.yaml, (m) => this.o.log('info', m));
        this.o.log('info', `bound to source ${want.id}`);
      } catch (e) {
        this.o.log('error', `source ${want.id}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    this.source?.reconcile(answer.subtasks);
  }

  private async release(): Promise<void> {
    const s = this.source;
    if (!s) return;
    this.source = undefined;
    this.o.log('info', `letting go of source ${s.sourceId}: stopping its subtasks`);
    await s.close();
    this.o.log('info', `source ${s.sourceId} released`);
  }

  /** Graceful shutdown: subtasks stop at their next checkpoint, then the listener closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.beating;
    await this.release();
    await this.app?.close();
  }
}
