/**
 * An OpenAPI 3.1 description of a service's API, generated from what its Fastify routes declare: method and path,
 * the JSON Schemas of path parameters, query string and body (OpenAPI 3.1 takes JSON Schema as it is), a summary
 * and who may call the route (route `config`), and service-kit's coded error body, which every error has.
 * `collectRoutes(app)` must run before the routes are declared; the document is built from what it collected.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface ApiRoute {
  method: string;
  url: string;
  schema?: { body?: unknown; querystring?: unknown; params?: unknown };
  config?: { summary?: string; permission?: string; public?: boolean };
}

export interface ApiInfo {
  title: string;
  version: string;
  description: string;
  /** Only routes under this prefix are the API (not /healthz, /readyz, /metrics). */
  prefix: string;
  /** How callers authenticate: OpenAPI security schemes by name. */
  securitySchemes: Record<string, object>;
}

type JsonObject = { type?: string; properties?: Record<string, unknown>; required?: string[] };

/** The routes declared on `app` from now on, in declaration order (HEAD routes that Fastify adds left out). */
export function collectRoutes(app: FastifyInstance): ApiRoute[] {
  const routes: ApiRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, schema: route.schema as ApiRoute['schema'], config: route.config as ApiRoute['config'] });
    }
  });
  return routes;
}

/** `/v1/models/:version/promote` → `/v1/models/{version}/promote`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(schema: unknown, location: 'path' | 'query'): object[] {
  const object = schema as JsonObject | undefined;
  return Object.entries(object?.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (object?.required ?? []).includes(name),
    schema: property,
  }));
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', description: 'stable and documented, e.g. RATE_LIMITED' },
    message: { type: 'string', description: 'what is wrong and how to fix it' },
    errors: { type: 'array', description: 'validation failures, one per field', items: { type: 'object' } },
  },
};

export function openApiDocument(info: ApiInfo, routes: readonly ApiRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const security = Object.keys(info.securitySchemes).map((name) => ({ [name]: [] }));
  const error = { description: 'A coded error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const route of routes) {
    if (!route.url.startsWith(info.prefix)) continue;
    const method = route.method.toLowerCase();
    const path = openApiPath(route.url);
    const params = [...parameters(route.schema?.params, 'path'), ...parameters(route.schema?.querystring, 'query')];
    const operation: Record<string, unknown> = {
      operationId: `${method}${path.replace(/[{}]/g, '').split(/[/._-]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('')}`,
      ...(route.config?.summary ? { summary: route.config.summary } : {}),
      ...(route.config?.public ? { security: [] } : { security, description: `Needs the permission \`${route.config?.permission}\`.`, 'x-permission': route.config?.permission }),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(route.schema?.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.schema.body } } } } : {}),
      responses: { '2XX': { description: 'Success' }, '4XX': error, '5XX': error },
    };
    (paths[path] ??= {})[method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    paths,
    components: { securitySchemes: info.securitySchemes, schemas: { Error: ERROR_SCHEMA } },
  };
}
