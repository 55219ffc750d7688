/**
 * Mounts the OpenAPI v1 routes on dm-master's listener. DM serves them only with `[experimental] openapi =
 * true`; dm-ts serves them always — the routes call the same operations dmctl does, so they add no power
 * dmctl does not have (docs/openapi.md).
 */
import type { FastifyInstance } from 'fastify';
import { registerOpenApi } from '../api/openapi-routes.js';
import type { MasterConfig } from '../config/master-config.js';
import type { MasterService } from './master-api.js';

export async function mountOpenApi(app: FastifyInstance, service: MasterService, _config: MasterConfig): Promise<void> {
  await registerOpenApi(app, service);
}
