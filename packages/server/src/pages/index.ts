/**
 * The web pages: plain server-rendered HTML over the same services as the REST API, one
 * stylesheet and one script. Pages authenticate by the session cookie only (a bearer token is for
 * scripts, not browsers), send strangers to the login page, and answer with a strict CSP. Parts the
 * script refreshes are rendered here too (GET /vms/rows), never by the script.
 */

import type { Logger } from '@slipstream/connector-core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BootedServer } from '../boot/boot.js';
import { sessionOfCookie } from '../http/auth.js';
import type { SessionCache } from '../vms/index.js';
import { configurationBody } from './configuration-page.js';
import { connectorsBody } from './connectors-page.js';
import { credentialsBody } from './credentials-page.js';
import { html, type SafeHtml } from './html.js';
import {
  CONTENT_SECURITY_POLICY,
  layout,
  SCRIPT_PATH,
  type Section,
  STYLESHEET_PATH,
  type Viewer,
} from './layout.js';
import { DEFAULT_NEXT, loginLocation, loginPage, safeNext } from './login-page.js';
import { pageScript } from './page-script.js';
import { STYLESHEET } from './style.js';
import { tokensBody } from './tokens-page.js';
import { usersBody } from './users-page.js';
import { vmRowsFragment, vmsBody } from './vms-page.js';

export interface PageOptions {
  readonly booted: BootedServer;
  /** The app's cloud sessions, shared with the API routes. */
  readonly sessions: SessionCache;
  readonly logger?: Logger | undefined;
  /** Where connector packages are installed, as given to the boot. */
  readonly from: string | URL;
  readonly now: () => Date;
}

interface Rendered {
  readonly title: string;
  readonly body: SafeHtml;
}

function sendHtml(reply: FastifyReply, status: number, page: SafeHtml): FastifyReply {
  return reply
    .code(status)
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('referrer-policy', 'same-origin')
    .type('text/html; charset=utf-8')
    .send(page.text);
}

export function registerPages(app: FastifyInstance, options: PageOptions): void {
  const { booted, now } = options;
  const from = options.from instanceof URL ? options.from.href : options.from;
  const vmContext = { booted, sessions: options.sessions, calls: booted.calls, logger: options.logger };

  const viewerOf = async (request: FastifyRequest): Promise<Viewer | undefined> => {
    const found = await sessionOfCookie(request.headers.cookie, booted.store, now());
    if (found === undefined) return undefined;
    const restartRequired = found.user.role === 'admin' && (await booted.restartRequired());
    return { user: found.user, csrfToken: found.session.csrfToken, restartRequired };
  };

  const page = (
    section: Section,
    access: 'user' | 'admin',
    render: (viewer: Viewer, request: FastifyRequest) => Promise<Rendered>,
  ) => {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const viewer = await viewerOf(request);
      if (viewer === undefined) return reply.redirect(loginLocation(request.url), 303);
      if (access === 'admin' && viewer.user.role !== 'admin') {
        const body = html`<p class="error-box" id="forbidden">Only administrators may see this page; ask an administrator if you need a change.</p>`;
        return sendHtml(reply, 403, layout({ title: 'Administrators only', section, viewer, body }));
      }
      const { title, body } = await render(viewer, request);
      return sendHtml(reply, 200, layout({ title, section, viewer, body }));
    };
  };

  app.get(STYLESHEET_PATH, async (_request, reply) => reply.type('text/css; charset=utf-8').send(STYLESHEET));
  // Read once, now: a server whose build lacks the script fails at startup, not at a user's first page.
  const script = pageScript();
  app.get(SCRIPT_PATH, async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(script));

  app.get('/', async (request, reply) =>
    reply.redirect((await viewerOf(request)) === undefined ? '/login' : DEFAULT_NEXT, 303),
  );

  app.get('/login', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown> | undefined)?.next);
    // Already logged in: straight on.
    if ((await viewerOf(request)) !== undefined) return reply.redirect(next, 303);
    return sendHtml(reply, 200, loginPage(next));
  });

  app.get(
    '/vms',
    page('vms', 'user', async (viewer, request) => {
      const { all } = (request.query ?? {}) as { all?: string };
      return { title: 'VMs', body: await vmsBody(vmContext, viewer.user, all === 'true') };
    }),
  );
  app.get('/vms/rows', async (request, reply) => {
    const viewer = await viewerOf(request);
    // The script fetches this, nobody navigates to it: a 401 (not the login redirect) tells the
    // script the session is gone, and it sends the browser to the login page.
    if (viewer === undefined) return sendHtml(reply, 401, html`<p>Log in again to see your VMs.</p>`);
    const { all } = (request.query ?? {}) as { all?: string };
    return sendHtml(reply, 200, await vmRowsFragment(vmContext, viewer.user, all === 'true'));
  });
  app.get(
    '/credentials',
    page('credentials', 'user', async (viewer) => ({
      title: 'Credentials',
      body: await credentialsBody(booted, viewer.user),
    })),
  );
  app.get(
    '/connectors',
    page('connectors', 'user', async () => ({
      title: 'Connectors',
      body: await connectorsBody(booted, options.from),
    })),
  );
  app.get(
    '/configuration',
    page('configuration', 'admin', async () => ({
      title: 'Configuration',
      body: await configurationBody(booted, from),
    })),
  );
  app.get(
    '/users',
    page('users', 'admin', async (viewer) => ({
      title: 'Users',
      body: await usersBody(booted.store, viewer.user),
    })),
  );
  app.get(
    '/tokens',
    page('tokens', 'user', async (viewer) => ({
      title: 'API tokens',
      body: await tokensBody(booted.store, viewer.user),
    })),
  );
}
