/**
 * The HTTP status listener of a running task (`dm run --status-addr`, later dm-worker's `worker-addr`):
 * `GET /metrics` (Prometheus text, DM's metric names) and `GET /status` (the subtasks' status as JSON, errors
 * with their DM codes and workarounds). Bound to the address given; nothing else is served.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { SubtaskStatus } from '../worker/subtask-runner.js';

export interface StatusServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  status(): { task: string; sources: readonly SubtaskStatus[] };
}

/** `host:port` or `:port` (all interfaces is not the default: an empty host means 127.0.0.1). */
export function parseListenAddr(addr: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(addr.trim());
  if (!m) throw new Error(`invalid address '${addr}': use host:port, e.g. 127.0.0.1:8262`);
  const host = m[1] === '' ? '127.0.0.1' : m[1]!.replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(m[2]) };
}

export async function startStatusServer(o: StatusServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_req, reply) => {
    const text = await o.registry.metrics();
    return reply.header('content-type', o.registry.contentType).send(text);
  });
  app.get('/status', () => Promise.resolve(o.status()));
  await app.listen({ host: o.host, port: o.port });
  return app;
}
