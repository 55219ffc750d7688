/**
 * dm-master's OpenAPI v1 front end: DM's `/api/v1/...` routes as a fastify plugin over {@link MasterService}.
 * Each route validates the OpenAPI request, makes the matching service call(s) (source.yaml / task.yaml texts
 * built by openapi-translate.ts) and answers in DM's OpenAPI JSON; `GET /api/v1/dm.json` serves the document
 * and `/api/v1/docs` the interactive docs (swagger-ui over the same document, static mode).
 *
 * Invariants:
 * - Everything lives in one encapsulated fastify scope under `/api/v1`: its JSON parser (an empty body is "no
 *   body"), error handler and 404 handler touch no other route of the app (e.g. dmctl's `/dm/v1/`).
 * - Every failure — a service answer with `result: false` (or a failing source), a malformed request, bad JSON,
 *   a rejected service call — is answered HTTP 400 `{error_msg, error_code}` (DM's code from the message's
 *   `[code=NNNNN:` prefix, else 49001); unknown `/api/v1` paths are 404 with the same body. Nothing crashes.
 * - Answers never carry a password (`******`) or TLS certificate contents.
 */
import fastifySwagger, { type StaticDocumentSpec } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CommonResponse, MasterService, OperateSchemaRequest, SchemaOp, SourcesResponse, TaskOp } from '../master/master-api.js';
import { OPENAPI_DOCUMENT } from './openapi-document.js';
import {
  badRequest,
  errorBody,
  failureOf,
  mastersFromListMember,
  maskSource,
  maskTask,
  namesFromMsg,
  notSupported,
  parseCreateTaskBody,
  parseOperateTableStructureBody,
  parseSourceBody,
  parseSourceNameList,
  parseWorkerNameBody,
  queryBool,
  queryList,
  sourceFromYaml,
  sourceStatusList,
  sourceToYaml,
  subTaskStatusList,
  taskFromYaml,
  taskSourceNotFound,
  taskToYaml,
  workersFromListMember,
  type ListResponse,
  type OpenApiSource,
  type OpenApiTask,
} from './openapi-translate.js';

/** DM's OpenAPI path prefix. */
export const OPENAPI_PREFIX = '/api/v1';

export interface OpenApiOptions {
  /** Serve the interactive docs at `/api/v1/docs` (default true). `/api/v1/dm.json` is always served. */
  readonly docs?: boolean;
}

/** A service answer that reported a failure: its `msg` is the DM-coded text shown as `error_msg`. */
class ServiceFailure extends Error {
  constructor(msg: string) {
    super(msg);
    this.name = 'ServiceFailure';
  }
}

/** Awaits a service call; a failure (envelope or, with `perSource`, any source) throws its message. */
async function expectOk<T extends CommonResponse>(p: Promise<T>, perSource = true): Promise<T> {
  const resp = await p;
  const f = perSource ? failureOf(resp) : failureOf({ result: resp.result, msg: resp.msg });
  if (f !== undefined) throw new ServiceFailure(f);
  return resp;
}

function list<T>(data: T[]): ListResponse<T> {
  return { total: data.length, data };
}

type NameParams = { name: string };
type SourceParams = { sourceName: string };
type SourceSchemaParams = { sourceName: string; schemaName: string };
type TaskParams = { taskName: string };
type TaskSourceParams = { taskName: string; sourceName: string; schemaName?: string; tableName?: string };
type Query = Record<string, unknown>;

/**
 * Mounts DM's OpenAPI v1 routes (and `/api/v1/dm.json`, `/api/v1/docs`) on `app`, answering from `service`.
 * Call before `app.listen()` / `app.ready()`.
 */
export async function registerOpenApi(app: FastifyInstance, service: MasterService, opts: OpenApiOptions = {}): Promise<void> {
  await app.register(
    async (api) => {
      installJsonParser(api);
      api.setErrorHandler((err: FastifyError | Error, _req, reply) => {
        const body = err instanceof ServiceFailure ? errorBody(err.message) : errorBody(fastifyMessage(err));
        return reply.code(400).type('application/json; charset=utf-8').send(body);
      });
      api.setNotFoundHandler((req, reply) => {
        const e = badRequest(`no such OpenAPI endpoint: ${req.method} ${req.url.split('?')[0] ?? ''} (see ${OPENAPI_PREFIX}/dm.json)`);
        return reply.code(404).send(errorBody(e));
      });

      // ---- documentation
      api.get('/dm.json', (_req, reply) => reply.type('application/json; charset=utf-8').send(OPENAPI_DOCUMENT));
      if (opts.docs ?? true) {
        // our document type is stricter than openapi-types' (which @fastify/swagger takes); same JSON
        const document = OPENAPI_DOCUMENT as unknown as StaticDocumentSpec['document'];
        await api.register(fastifySwagger, { mode: 'static', specification: { document } });
        await api.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: false } });
      }

      registerClusterRoutes(api, service);
      registerSourceRoutes(api, service);
      registerTaskRoutes(api, service);
    },
    { prefix: OPENAPI_PREFIX },
  );
}

/** Fastify's own errors (bad JSON, wrong content type, body too large) as a plain text for the 49001 body. */
function fastifyMessage(err: FastifyError | Error): Error {
  const code = (err as FastifyError).code;
  if (typeof code === 'string' && code.startsWith('FST_')) return new Error(`invalid request: ${err.message}`);
  return err;
}

/** JSON bodies as fastify parses them (prototype poisoning rejected), except that an empty body is no body. */
function installJsonParser(api: FastifyInstance): void {
  const parseJson = api.getDefaultJsonParser('error', 'error');
  api.removeContentTypeParser('application/json');
  api.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    // fastify's default JSON parser answers through `done` synchronously
    void parseJson(req, text, done);
  });
}

// ---------------------------------------------------------------------------------------------------------
// cluster

function registerClusterRoutes(api: FastifyInstance, service: MasterService): void {
  api.get('/cluster/masters', async () => {
    const resp = await expectOk(service.ListMember({ leader: true, master: true, worker: false, names: [] }));
    return list(mastersFromListMember(resp));
  });
  api.delete<{ Params: NameParams }>('/cluster/masters/:name', async (req, reply) => {
    await expectOk(service.OfflineMember({ type: 'master', name: req.params.name }));
    return reply.code(204).send();
  });
  api.get('/cluster/workers', async () => {
    const resp = await expectOk(service.ListMember({ leader: false, master: false, worker: true, names: [] }));
    return list(workersFromListMember(resp));
  });
  api.delete<{ Params: NameParams }>('/cluster/workers/:name', async (req, reply) => {
    await expectOk(service.OfflineMember({ type: 'worker', name: req.params.name }));
    return reply.code(204).send();
  });
}

// ---------------------------------------------------------------------------------------------------------
// sources

/** The source entries of an `OperateSource show` answer, one per source name. */
function shownSources(resp: SourcesResponse): SourcesResponse['sources'] {
  const seen = new Set<string>();
  return resp.sources.filter((s) => s.source !== '' && !seen.has(s.source) && seen.add(s.source));
}

function registerSourceRoutes(api: FastifyInstance, service: MasterService): void {
  api.post('/sources', async (req, reply) => {
    const src = parseSourceBody(req.body);
    await expectOk(service.OperateSource({ op: 'create', config: [sourceToYaml(src)], sourceID: [] }));
    return reply.code(201).send(maskSource(src));
  });

  api.get<{ Querystring: Query }>('/sources', async (req) => {
    const withStatus = queryBool(req.query.with_status);
    const shown = await expectOk(service.OperateSource({ op: 'show', config: [], sourceID: [] }), false);
    const data: OpenApiSource[] = [];
    for (const s of shownSources(shown)) {
      const cfg = await expectOk(service.GetCfg({ type: 'source', name: s.source }));
      const src = sourceFromYaml(cfg.cfg, `source ${s.source}`);
      if (withStatus) src.status_list = sourceStatusList([s]);
      data.push(maskSource(src));
    }
    return list(data);
  });

  api.delete<{ Params: SourceParams; Querystring: Query }>('/sources/:sourceName', async (req, reply) => {
    const source = req.params.sourceName;
    if (queryBool(req.query.force)) {
      const summary = await expectOk(service.QueryStatus({ name: '', sources: [source] }), false);
      for (const t of summary.tasks ?? []) {
        if (t.sources.length > 0 && !t.sources.includes(source)) continue;
        await expectOk(service.OperateTask({ op: 'Stop', name: t.taskName, sources: [source] }));
      }
    }
    await expectOk(service.OperateSource({ op: 'stop', config: [], sourceID: [source] }));
    return reply.code(204).send();
  });

  api.get<{ Params: SourceParams }>('/sources/:sourceName/status', async (req) => {
    const source = req.params.sourceName;
    const shown = await expectOk(service.OperateSource({ op: 'show', config: [], sourceID: [source] }), false);
    const mine = shown.sources.filter((s) => s.source === source);
    if (mine.length === 0) throw taskSourceNotFound(source);
    return list(sourceStatusList(mine));
  });

  for (const action of ['start-relay', 'stop-relay', 'pause-relay', 'resume-relay'] as const) {
    const handler = (): Promise<never> => Promise.reject(notSupported(`relay log (\`${action}\`)`));
    api.post(`/sources/:sourceName/${action}`, handler);
    api.patch(`/sources/:sourceName/${action}`, handler);
  }

  const transfer = async (req: FastifyRequest<{ Params: SourceParams }>, reply: FastifyReply): Promise<FastifyReply> => {
    const worker = parseWorkerNameBody(req.body);
    await expectOk(service.TransferSource({ source: req.params.sourceName, worker }));
    return reply.code(200).send();
  };
  api.post<{ Params: SourceParams }>('/sources/:sourceName/transfer', transfer);
  api.patch<{ Params: SourceParams }>('/sources/:sourceName/transfer', transfer);

  api.get<{ Params: SourceParams }>('/sources/:sourceName/schemas', async (req) => {
    const resp = await expectOk(service.ListSourceSchemas({ source: req.params.sourceName, schema: '' }));
    return resp.names;
  });
  api.get<{ Params: SourceSchemaParams }>('/sources/:sourceName/schemas/:schemaName', async (req) => {
    const resp = await expectOk(service.ListSourceSchemas({ source: req.params.sourceName, schema: req.params.schemaName }));
    return resp.names;
  });
}

// ---------------------------------------------------------------------------------------------------------
// tasks

function schemaRequest(op: SchemaOp, p: TaskSourceParams, extra: Partial<OperateSchemaRequest> = {}): OperateSchemaRequest {
  return {
    op,
    task: p.taskName,
    sources: [p.sourceName],
    database: p.schemaName ?? '',
    table: p.tableName ?? '',
    schema: '',
    flush: false,
    sync: false,
    fromSource: false,
    fromTarget: false,
    ...extra,
  };
}

/** The `msg` of the answer's entry for `source` (or its only entry). */
function sourceMsg(resp: SourcesResponse, source: string): string {
  return (resp.sources.find((s) => s.source === source) ?? resp.sources[0])?.msg ?? '';
}

function registerTaskRoutes(api: FastifyInstance, service: MasterService): void {
  api.post('/tasks', async (req, reply) => {
    const body = parseCreateTaskBody(req.body);
    const resp = await service.StartTask({ task: taskToYaml(body.task), sources: body.source_name_list ?? [], removeMeta: body.remove_meta });
    const f = failureOf(resp);
    if (f !== undefined) {
      const check = resp.checkResult && !f.includes('"summary"') ? `\n${JSON.stringify(resp.checkResult, null, 4)}` : '';
      throw new ServiceFailure(f + check);
    }
    return reply.code(201).send(maskTask(body.task));
  });

  api.get('/tasks', async () => {
    const summary = await expectOk(service.QueryStatus({ name: '', sources: [] }), false);
    const data: OpenApiTask[] = [];
    const seen = new Set<string>();
    for (const t of summary.tasks ?? []) {
      if (seen.has(t.taskName)) continue;
      seen.add(t.taskName);
      const cfg = await expectOk(service.GetCfg({ type: 'task', name: t.taskName }));
      data.push(maskTask(taskFromYaml(cfg.cfg, `task ${t.taskName}`)));
    }
    return list(data);
  });

  api.delete<{ Params: TaskParams; Querystring: Query }>('/tasks/:taskName', async (req, reply) => {
    await expectOk(service.OperateTask({ op: 'Stop', name: req.params.taskName, sources: queryList(req.query.source_name_list) }));
    return reply.code(204).send();
  });

  api.get<{ Params: TaskParams; Querystring: Query }>('/tasks/:taskName/status', async (req) => {
    const name = req.params.taskName;
    const resp = await expectOk(service.QueryStatus({ name, sources: queryList(req.query.source_name_list) }), false);
    return list(subTaskStatusList(name, resp));
  });

  const operate = (op: TaskOp) => async (req: FastifyRequest<{ Params: TaskParams }>, reply: FastifyReply): Promise<FastifyReply> => {
    const sources = parseSourceNameList(req.body);
    await expectOk(service.OperateTask({ op, name: req.params.taskName, sources }));
    return reply.code(200).send();
  };
  api.post<{ Params: TaskParams }>('/tasks/:taskName/pause', operate('Pause'));
  api.patch<{ Params: TaskParams }>('/tasks/:taskName/pause', operate('Pause'));
  api.post<{ Params: TaskParams }>('/tasks/:taskName/resume', operate('Resume'));
  api.patch<{ Params: TaskParams }>('/tasks/:taskName/resume', operate('Resume'));

  const base = '/tasks/:taskName/sources/:sourceName/schemas';
  api.get<{ Params: TaskSourceParams }>(base, async (req) => {
    const resp = await expectOk(service.OperateSchema(schemaRequest('list', req.params)));
    return namesFromMsg(sourceMsg(resp, req.params.sourceName));
  });
  api.get<{ Params: TaskSourceParams }>(`${base}/:schemaName`, async (req) => {
    const resp = await expectOk(service.OperateSchema(schemaRequest('list', req.params)));
    return namesFromMsg(sourceMsg(resp, req.params.sourceName));
  });
  api.get<{ Params: TaskSourceParams }>(`${base}/:schemaName/:tableName`, async (req) => {
    const resp = await expectOk(service.OperateSchema(schemaRequest('get', req.params)));
    return { schema_name: req.params.schemaName ?? '', table_name: req.params.tableName ?? '', schema_create_sql: sourceMsg(resp, req.params.sourceName) };
  });
  const setTable = async (req: FastifyRequest<{ Params: TaskSourceParams }>, reply: FastifyReply): Promise<FastifyReply> => {
    const body = parseOperateTableStructureBody(req.body);
    await expectOk(service.OperateSchema(schemaRequest('set', req.params, { schema: body.sql_content, flush: body.flush, sync: body.sync })));
    return reply.code(200).send();
  };
  api.put<{ Params: TaskSourceParams }>(`${base}/:schemaName/:tableName`, setTable);
  api.patch<{ Params: TaskSourceParams }>(`${base}/:schemaName/:tableName`, setTable);
  api.delete<{ Params: TaskSourceParams }>(`${base}/:schemaName/:tableName`, async (req, reply) => {
    await expectOk(service.OperateSchema(schemaRequest('remove', req.params)));
    return reply.code(204).send();
  });
}
