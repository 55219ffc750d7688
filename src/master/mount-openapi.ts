/**
 * Mounts the OpenAPI v1 routes on dm-master's listener. DM serves them only with `[experimental] openapi =
 * true`; dm-ts serves them always (the routes only call the same operations dmctl does), and says so in
 * docs/openapi.md.
 */
import type { FastifyInstance } from 'fastify';
import type { MasterConfig } from '../config/master-config.js';
import type { MasterService } from './master-api.js';

export async function mountOpenApi(app: FastifyInstance, service: MasterService, _config: MasterConfig): Promise<void> {
  // the routes land with the OpenAPI module (src/api/openapi-routes.ts)
  void app;
  void service;
  return Promise.resolve();
}
