/**
 * Errors as HTTP answers: RFC 9457 `application/problem+json` with the catalogue code
 * and the fields at fault. The one place an error kind becomes an HTTP status.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorKind, FirebreakError, type FieldProblem } from '../domain/errors.js';

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

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly fields?: readonly FieldProblem[];
}

/** Maps any thrown value to a problem; unknown errors become a 500 that reveals nothing. */
export function problemOf(error: unknown): Problem {
  if (error instanceof FirebreakError) {
    const status = STATUS_BY_KIND[error.kind];
    return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail: error.message, code: error.code, ...(error.fields.length ? { fields: error.fields } : {}) };
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status === 413 || fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { type: 'about:blank', title: TITLES[413]!, status: 413, detail: 'the request body is larger than this endpoint accepts', code: 'FB_ERR_REQUEST_TOO_LARGE' };
  }
  if (status === 429) {
    return { type: 'about:blank', title: TITLES[429]!, status: 429, detail: fastifyError.message || 'too many requests; wait and try again', code: 'FB_ERR_RATE_LIMITED' };
  }
  if (status >= 400 && status < 500) {
    return { type: 'about:blank', title: TITLES[status] ?? 'Bad request', status, detail: fastifyError.message ?? 'bad request', code: 'FB_ERR_INPUT_INVALID' };
  }
  return { type: 'about:blank', title: TITLES[500]!, status: 500, detail: 'internal error; it has been logged', code: 'FB_ERR_INTERNAL' };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** A Fastify error handler answering every error as a problem document. */
export function problemErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = problemOf(error);
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, problem);
}
