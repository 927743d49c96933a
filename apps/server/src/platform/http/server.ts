import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { forbidden } from '../errors.js';
import { installErrorHandling } from './errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    routeList: { method: string; url: string }[];
  }
}

export interface HttpOptions {
  version: string;
  trustProxy: string | false;
  /** The built web client; absent in API-only tests. */
  webDir?: string;
  /** pino level, or false for none. */
  logLevel: string | false;
  /** Checks a request for the API docs; the docs' static files stay open like any static asset. */
  docsGuard: (request: FastifyRequest) => Promise<void>;
}

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Ant Design injects its CSS at run time; scripts stay strictly same-origin.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  // A print-out (a PDF the server made) is handed to the browser's print dialog from a hidden frame.
  frameSrc: ["'self'", 'blob:'],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/** host[:port] with the scheme's default port dropped, as browsers write Origin. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** The HTTP shell: parsing, security headers, OpenAPI, the static client. Routes are added by the caller. */
export async function createHttpServer(options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logLevel ? { level: options.logLevel, redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'] } : false,
    trustProxy: options.trustProxy || false,
    bodyLimit: 1024 * 1024,
  });
  // Every route the server answers, so a test can prove none escapes the access rules.
  const routes: { method: string; url: string }[] = [];
  app.decorate('routeList', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);

  // Files sent as the raw request body (catalogue imports) arrive as bytes; their routes set the limit.
  app.addContentTypeParser(
    [
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv', 'application/octet-stream',
      'image/jpeg', 'image/png', 'image/tiff', 'application/pdf',
    ],
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, body),
  );
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: CSP },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false,
  });
  await app.register(fastifyRateLimit, { global: false });

  // A second line behind SameSite cookies and CSRF tokens, and the only one for the login form:
  // a state-changing request sent by another site's page is refused outright.
  app.addHook('onRequest', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (hostOf(origin) === null || hostOf(origin) !== hostOf(`${request.protocol}://${request.headers.host ?? ''}`)) {
      throw forbidden('ORIGIN_MISMATCH', '拒绝来自其他站点的请求');
    }
  });

  app.addHook('onSend', async (request, reply) => {
    // A route may say more than no-store (a reader's page image: no-store, private), never less.
    const own = reply.getHeader('cache-control');
    if (request.url.startsWith('/api/') && !(typeof own === 'string' && own.includes('no-store'))) reply.header('cache-control', 'no-store');
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: '干部人事档案系统 API', version: options.version, description: '除登录与健康检查外，均须登录；修改类请求须带 X-CSRF-Token 请求头。' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'dangan_sid' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    // Our own policy, not the plugin's: no outside hosts (its default allows https: and swagger.io).
    staticCSP: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
    uiConfig: { docExpansion: 'list', deepLinking: false, validatorUrl: null },
    uiHooks: {
      onRequest: async (request) => {
        if (!request.url.startsWith('/api/docs/static/')) await options.docsGuard(request);
      },
    },
  });

  const webDir = options.webDir && existsSync(join(options.webDir, 'index.html')) ? options.webDir : undefined;
  if (webDir) {
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      cacheControl: false,
      setHeaders(res, path) {
        res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  // Page paths belong to the client's router and get the app shell; anything else is a JSON 404.
  app.setNotFoundHandler((request, reply) => {
    if (webDir && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send({ code: 'NOT_FOUND', message: `接口不存在：${request.method} ${request.url.split('?')[0]}` });
  });
  return app;
}
