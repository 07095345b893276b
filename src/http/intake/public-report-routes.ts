/**
 * The public side of intake, no login: the `/report` form and its JSON twin
 * `POST /api/v1/public/reports`, the reporter's private status page
 * `/report/status/<token>` (and `GET /api/v1/public/reports/status/<token>`) with its
 * message thread, and `/.well-known/security.txt`. Anti-abuse: per-address rate limits
 * on every route here (one budget each for submitting, reading and writing messages,
 * shared by the form and the API), small body limits, and a honeypot field. Routes whose URL holds a
 * status token log only warnings, so the token never reaches the request log.
 */
import { publicBaseUrl } from '../public-url.js';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { z } from 'zod';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import { FirebreakError, fieldError } from '../../domain/errors.js';
import { MessageSchema, ReportSubmissionSchema } from '../../app/public-report-service.js';
import { sendProblem, toProblem } from '../problem.js';
import { problemResponses } from '../route-docs.js';
import { REPORT_CSP, REPORT_CSS, type FormValues, reportErrorPage, reportFormPage, reportStatusPage, reportSubmittedPage } from './report-pages.js';
import { securityTxt } from './security-txt.js';

export interface RateLimitSetting {
  readonly max: number;
  readonly timeWindow: string | number;
}

export interface PublicReportRoutesOptions {
  readonly app: FirebreakApp;
  /** The plan public reports run under (default: $FIREBREAK_REPORT_PLAN or nist-800-61r3). */
  readonly plan?: string;
  readonly limits?: { readonly submit?: RateLimitSetting; readonly read?: RateLimitSetting; readonly message?: RateLimitSetting };
  /** Environment to read FIREBREAK_* settings from (tests pass their own). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const REPORT_BODY_LIMIT = 256 * 1024;

const Stage = z.enum(['received', 'acknowledged', 'confirmed', 'fixed', 'disclosed', 'declined']);
const ReporterViewSchema = z.object({
  reference: z.string(),
  submittedAt: z.string(),
  anonymous: z.boolean(),
  stage: Stage,
  stageText: z.string(),
  history: z.array(z.object({ stage: Stage, at: z.string() })),
  messages: z.array(z.object({ from: z.enum(['reporter', 'team']), text: z.string(), at: z.string() })),
});
const MESSAGE_BODY_LIMIT = 32 * 1024;

function isHtmlRoute(request: FastifyRequest): boolean {
  return request.url.startsWith('/report');
}

export function htmlHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', REPORT_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8');
}

function formValues(body: Record<string, string | undefined>): FormValues {
  return {
    what: body['what'] ?? '',
    product: body['product'] ?? '',
    versions: body['versions'] ?? '',
    reproduction: body['reproduction'] ?? '',
    impact: body['impact'] ?? '',
    contact: body['contact'] ?? '',
    anonymous: body['anonymous'] === 'on' || body['anonymous'] === 'true',
  };
}

function checkHoneypot(body: unknown): void {
  const website = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['website'] : undefined;
  if (typeof website === 'string' && website.trim() !== '') {
    throw fieldError('FB_ERR_REPORT_REJECTED', 'website', 'this field must be left empty (it is there to catch automated submissions)');
  }
}

export async function publicReportRoutes(server: FastifyInstance, options: PublicReportRoutesOptions): Promise<void> {
  const env = options.env ?? process.env;
  const plan = options.plan ?? env['FIREBREAK_REPORT_PLAN'] ?? 'nist-800-61r3';
  const reports = options.app.reports;
  const limits = {
    submit: options.limits?.submit ?? { max: 5, timeWindow: '10 minutes' },
    read: options.limits?.read ?? { max: 60, timeWindow: '1 minute' },
    message: options.limits?.message ?? { max: 10, timeWindow: '10 minutes' },
  };
  const publicUrl = (request: FastifyRequest) => publicBaseUrl(request, env);

  // One budget per address for each kind of request, shared by the HTML form and its JSON
  // twin: a limiter made once with the server's rate limiter (keyed by address for
  // anonymous callers) and run before every route of that kind. Route-level
  // `config.rateLimit` would give each route a budget of its own, so it is off here.
  const limiters = { submit: server.rateLimit(limits.submit), read: server.rateLimit(limits.read), message: server.rateLimit(limits.message) };
  const guard = (kind: keyof typeof limiters) => ({ config: { access: 'public' as const, rateLimit: false as const }, preHandler: limiters[kind] });
  // The JSON routes validate in the service (so errors name the same fields as the form);
  // their zod schemas document them in OpenAPI.
  const documented = (schema: Record<string, unknown>) => ({
    validatorCompiler: () => () => true,
    serializerCompiler: () => (data: unknown) => JSON.stringify(data),
    schema: { tags: ['public reports'], security: [], ...schema } as FastifySchema,
  });

  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: REPORT_BODY_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  server.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    if (!isHtmlRoute(request)) return sendProblem(reply, problem);
    return htmlHeaders(reply.code(problem.status)).send(reportErrorPage(problem.status, problem.detail));
  });

  server.get('/report/report.css', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(REPORT_CSS));

  server.get('/report', { schema: { hide: true }, ...guard('read') }, async (_request, reply) =>
    htmlHeaders(reply).send(reportFormPage({ policyUrl: env['FIREBREAK_SECURITY_POLICY_URL'] ?? null })),
  );

  server.post<{ Body: Record<string, string | undefined> }>('/report', { bodyLimit: REPORT_BODY_LIMIT, schema: { hide: true }, ...guard('submit') }, async (request, reply) => {
    const body = request.body ?? {};
    const values = formValues(body);
    try {
      checkHoneypot(body);
      const submitted = await reports.submit(plan, values);
      return htmlHeaders(reply.code(201)).send(reportSubmittedPage({ reference: submitted.incidentId, statusUrl: `${publicUrl(request)}${submitted.statusPath}`, anonymous: values.anonymous === true }));
    } catch (error) {
      if (!(error instanceof FirebreakError) || error.kind !== 'invalid') throw error;
      return htmlHeaders(reply.code(400)).send(reportFormPage({ values, problems: error.fields, message: error.fields.length ? undefined : error.message, policyUrl: env['FIREBREAK_SECURITY_POLICY_URL'] ?? null }));
    }
  });

  server.get<{ Params: { token: string } }>('/report/status/:token', { logLevel: 'warn', schema: { hide: true }, ...guard('read') }, async (request, reply) =>
    htmlHeaders(reply).send(reportStatusPage(await reports.statusFor(request.params.token), request.params.token)),
  );

  server.post<{ Params: { token: string }; Body: Record<string, string | undefined> }>(
    '/report/status/:token/messages',
    { logLevel: 'warn', bodyLimit: MESSAGE_BODY_LIMIT, schema: { hide: true }, ...guard('message') },
    async (request, reply) => {
      const token = request.params.token;
      try {
        await reports.reporterMessage(token, { text: request.body?.['text'] ?? '' });
      } catch (error) {
        if (!(error instanceof FirebreakError) || error.kind !== 'invalid') throw error;
        return htmlHeaders(reply.code(400)).send(reportStatusPage(await reports.statusFor(token), token, error.fields));
      }
      // Post/redirect/get: reloading the status page does not send the message again.
      return reply.code(303).header('location', `/report/status/${token}`).header('referrer-policy', 'no-referrer').send();
    },
  );

  // ---- JSON twins ---------------------------------------------------------------------
  server.post(
    '/api/v1/public/reports',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      ...guard('submit'),
      ...documented({
        summary: 'Report a vulnerability (no sign-in); answers the private status link once',
        body: ReportSubmissionSchema.extend({ website: z.string().optional().describe('Honeypot: leave empty') }),
        response: { 201: z.object({ reference: z.string(), token: z.string(), statusUrl: z.string() }), ...problemResponses },
      }),
    },
    async (request, reply) => {
    checkHoneypot(request.body);
    const submitted = await reports.submit(plan, request.body);
    return reply.code(201).send({ reference: submitted.incidentId, token: submitted.token, statusUrl: `${publicUrl(request)}${submitted.statusPath}` });
  });

  server.get<{ Params: { token: string } }>(
    '/api/v1/public/reports/status/:token',
    {
      logLevel: 'warn',
      ...guard('read'),
      ...documented({ summary: "A report's stage and message thread, for its reporter (the token is the private link's)", params: z.object({ token: z.string() }), response: { 200: ReporterViewSchema, ...problemResponses } }),
    },
    async (request, reply) =>
    reply.header('cache-control', 'no-store').send(await reports.statusFor(request.params.token)),
  );

  server.post<{ Params: { token: string } }>(
    '/api/v1/public/reports/status/:token/messages',
    {
      logLevel: 'warn',
      bodyLimit: MESSAGE_BODY_LIMIT,
      ...guard('message'),
      ...documented({ summary: 'The reporter writes to the team through the private link', params: z.object({ token: z.string() }), body: MessageSchema, response: { 201: ReporterViewSchema, ...problemResponses } }),
    },
    async (request, reply) => {
      await reports.reporterMessage(request.params.token, request.body);
      return reply.code(201).send(await reports.statusFor(request.params.token));
    },
  );

  server.get('/.well-known/security.txt', { schema: { hide: true }, ...guard('read') }, async (request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send(
        securityTxt({
          publicUrl: publicUrl(request),
          contact: env['FIREBREAK_SECURITY_CONTACT'],
          policyUrl: env['FIREBREAK_SECURITY_POLICY_URL'],
          languages: env['FIREBREAK_SECURITY_LANGUAGES'] ?? 'en',
          now: options.app.time.now(),
        }),
      ),
  );
}
