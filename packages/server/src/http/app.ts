/**
 * The HTTP API: a Fastify 5 app over a booted server. Every route is a RouteSpec (routes.ts) so
 * the OpenAPI document is generated from exactly what is served. Bodies are JSON only, at most
 * BODY_LIMIT bytes, validated strictly (unknown fields are errors, nothing is coerced), and every
 * answer, errors included, is JSON.
 */

import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { LoginGate } from '../accounts/logins.js';
import type { BootedServer } from '../boot/boot.js';
import { createServerLogger, httpLogger } from '../logging.js';
import { registerPages } from '../pages/index.js';
import { LoginRateLimiter, type LoginRateLimiterOptions } from '../security/rate-limit.js';
import type { ServerSettings } from '../settings.js';
import { SERVER_VERSION } from '../version.js';
import { SessionCache } from '../vms/sessions.js';
import { authenticate, authorize } from './auth.js';
import { authRoutes } from './auth-routes.js';
import { cloudRoutes } from './cloud-routes.js';
import { configurationRoutes } from './configuration-routes.js';
import { credentialsRoutes } from './credentials-routes.js';
import { errorAnswer } from './errors.js';
import { buildOpenApi } from './openapi.js';
import type { JsonSchema, RouteSpec } from './routes.js';
import { statusRoutes } from './status-routes.js';
import { tokenRoutes } from './token-routes.js';
import { userRoutes } from './user-routes.js';
import type { RequestShape } from './validation.js';

/** Largest request body accepted (1 MiB): far above any real request, small enough to refuse floods. */
export const BODY_LIMIT = 1024 * 1024;
/**
 * Failed logins one address may make across all usernames: generous enough for an office behind
 * one NAT address, far too few to try a password on every account.
 */
export const ADDRESS_LOGIN_LIMITS = { maxFailures: 30, windowMs: 15 * 60_000 } as const;

/** How long a login session lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface AppOptions {
  readonly booted: BootedServer;
  readonly settings: ServerSettings;
  /** A logger made by createServerLogger (so secrets are redacted); one writing to stdout by default. */
  readonly logger?: Logger | undefined;
  /** Login brute-force limits per (username, address); the defaults of LoginRateLimiter by default. */
  readonly loginLimits?: LoginRateLimiterOptions | undefined;
  /** Login brute-force limits per address across usernames; ADDRESS_LOGIN_LIMITS by default. */
  readonly addressLoginLimits?: LoginRateLimiterOptions | undefined;
  readonly sessionTtlMs?: number | undefined;
  /** Clock; injectable for tests. */
  readonly now?: (() => Date) | undefined;
  /**
   * Where connector packages are installed, as given to bootServer: a saved connector list is
   * checked against it. This module's location by default (the server package's node_modules).
   */
  readonly from?: string | URL | undefined;
}

export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const { booted, settings } = options;
  const now = options.now ?? ((): Date => new Date());
  const logger = options.logger ?? createServerLogger();
  const sendError = (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const answer = errorAnswer(error, { bodyLimit: BODY_LIMIT, shapes: requestShapesOf(request) });
    if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: answer.body.error.code, status: answer.status }, 'request refused');
    if (answer.retryAfterSeconds !== undefined) reply.header('retry-after', String(answer.retryAfterSeconds));
    return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
  };
  const app = Fastify({
    loggerInstance: httpLogger(logger, settings.logFormat) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // Only the configured proxies' X-Forwarded-* are believed: from anyone else they would let a
    // client choose the address its failed logins are counted under.
    trustProxy: settings.trustProxy === undefined ? false : [...settings.trustProxy],
    // Fastify's defaults silently drop unknown fields and coerce types; the API refuses both instead.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    // Router errors (a malformed or over-long path) bypass the error handler; same answer shape.
    frameworkErrors: sendError,
  }) as unknown as FastifyInstance;
  // JSON only: no text/plain bodies (a cross-site form could send those without a CORS preflight).
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('caller', null);

  app.setErrorHandler(sendError);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    return reply.code(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `There is no ${request.method} ${path}; see /api/openapi.json for the API's routes.`,
      },
    });
  });
  // Once closing, answers end their connection: a keep-alive connection left idle after the last
  // answer would hold the close open until the client drops it.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    // Answers can carry tokens shown once: never cache them; and no content sniffing.
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  // Users' cloud sessions (token caches), kept across requests and closed with the app.
  const sessions = new SessionCache(booted);
  app.addHook('onClose', async () => sessions.close());

  const routes: RouteSpec[] = [];
  let document: JsonSchema | undefined;
  const openApi = (): JsonSchema => {
    document ??= buildOpenApi(routes, { title: 'SlipStream server API', version: SERVER_VERSION });
    return document;
  };
  routes.push(
    ...authRoutes({
      store: booted.store,
      logins: new LoginGate({
        store: booted.store,
        limiter: new LoginRateLimiter(booted.store, options.loginLimits),
        addressLimiter: new LoginRateLimiter(
          booted.store,
          options.addressLoginLimits ?? ADDRESS_LOGIN_LIMITS,
        ),
        sessionTtlMs: options.sessionTtlMs ?? SESSION_TTL_MS,
        now,
      }),
      sessionTtlMs: options.sessionTtlMs ?? SESSION_TTL_MS,
    }),
    ...tokenRoutes(booted.store),
    ...userRoutes(booted.store),
    ...statusRoutes(booted, openApi, options.from ?? import.meta.url),
    ...configurationRoutes({
      booted,
      from: options.from ?? import.meta.url,
      maxInstances: settings.maxInstances,
    }),
    ...credentialsRoutes(booted),
    ...cloudRoutes({ booted, sessions, logger }),
  );
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      schema: {
        ...(route.body === undefined ? {} : { body: route.body }),
        ...(route.query === undefined ? {} : { querystring: route.query }),
        response: { [route.success.status]: route.success.schema },
      },
      // Authentication runs before the body is parsed, so strangers get 401 whatever they send.
      onRequest: async (request) => {
        if (route.access === 'public') return;
        request.caller = await authenticate(request, booted.store, now());
        authorize(route.access, request.caller.user.role);
      },
      handler: route.handler,
      config: { requestShapes: requestShapes(route) },
    });
  }
  app.log.debug({ host: settings.host, port: settings.port, routes: routes.length }, 'API routes registered');
  registerPages(app, { booted, sessions, logger, from: options.from ?? import.meta.url, now });
  return app;
}

/** A route's request schemas and example, kept in its Fastify config for the error handler. */
function requestShapes(route: RouteSpec): Record<string, RequestShape> {
  return {
    ...(route.body === undefined ? {} : { body: { schema: route.body, example: route.example } }),
    ...(route.query === undefined ? {} : { querystring: { schema: route.query } }),
  };
}

/** The shapes of the route a request matched; none for router errors (no route matched). */
function requestShapesOf(request: FastifyRequest): Record<string, RequestShape> | undefined {
  const config = request.routeOptions?.config as { requestShapes?: Record<string, RequestShape> } | undefined;
  return config?.requestShapes;
}
