/**
 * Every error the API answers, in one shape: RFC 9457 `application/problem+json`
 * (`type, title, status, detail, code, fields`). This is the one place that maps an error
 * kind to an HTTP status. Anything a client sent wrongly is a 4xx naming the field;
 * only a bug is a 500, and its details stay in the server log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ErrorCode, type ErrorKind, type FieldProblem, FirebreakError } from '../domain/errors.js';

export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** Codes whose status is more specific than their kind's. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  FB_ERR_HTTP_UNSUPPORTED_MEDIA: 415,
  FB_ERR_IDEMPOTENCY_KEY_REUSED: 422,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not permitted',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable error code, FB_ERR_<AREA>_<WHAT> (see src/domain/errors.ts).'),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

export function statusOf(error: FirebreakError): number {
  return STATUS_BY_CODE[error.code as ErrorCode] ?? STATUS_BY_KIND[error.kind];
}

export function problemOf(status: number, code: string, detail: string, fields: readonly FieldProblem[] = []): Problem {
  return {
    type: `urn:firebreak:error:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(fields.length > 0 ? { fields: [...fields] } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

function validationFields(error: { validation: readonly { instancePath: string; message?: string }[] }, context: string | undefined): FieldProblem[] {
  return error.validation.map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    return { path: path || (context === 'body' ? 'body' : (context ?? 'request')), message: issue.message ?? 'is invalid' };
  });
}

/** Turns any thrown error into the problem to answer with. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof FirebreakError) return problemOf(statusOf(error), error.code, error.message, error.fields);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = validationFields(error, (error as FastifyError).validationContext);
    return problemOf(400, 'FB_ERR_INPUT_INVALID', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemOf(413, 'FB_ERR_HTTP_TOO_LARGE', 'the request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problemOf(415, 'FB_ERR_HTTP_UNSUPPORTED_MEDIA', `send JSON with Content-Type: application/json (got ${request.headers['content-type'] ?? 'none'})`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problemOf(400, 'FB_ERR_INPUT_INVALID', 'body: the JSON body is empty; send {} for no fields', [{ path: 'body', message: 'is empty' }]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problemOf(400, 'FB_ERR_INPUT_INVALID', 'body: is not valid JSON', [{ path: 'body', message: 'is not valid JSON' }]);
    default:
      break;
  }
  if (fastifyError.validation) {
    const fields = validationFields(fastifyError as { validation: { instancePath: string; message?: string }[] }, fastifyError.validationContext);
    return problemOf(400, 'FB_ERR_INPUT_INVALID', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return problemOf(413, 'FB_ERR_HTTP_TOO_LARGE', fastifyError.message ?? 'too large');
    return problemOf(status === 404 ? 404 : 400, status === 404 ? 'FB_ERR_HTTP_NOT_FOUND' : 'FB_ERR_INPUT_INVALID', fastifyError.message ?? 'bad request');
  }
  return problemOf(500, 'FB_ERR_INTERNAL', 'the server failed to handle this request; it has been logged (this is a bug)');
}

/** Installs the error and not-found handlers for the whole server. */
export function installProblemHandlers(server: FastifyInstance, notFound: (request: FastifyRequest, reply: FastifyReply) => unknown): void {
  server.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    return sendProblem(reply, problem);
  });
  server.setNotFoundHandler(notFound);
}

export function routeNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, problemOf(404, 'FB_ERR_HTTP_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
}
