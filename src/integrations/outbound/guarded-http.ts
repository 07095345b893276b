/**
 * An outbound HTTP POST through the guard, with node:http/https so the connection's
 * `lookup` is ours (the global fetch offers no per-request lookup). Redirects are never
 * followed: a 3xx is an answer like any other, so a public receiver cannot bounce the
 * request inside. Failures are described in plain words without addresses or ports.
 */
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { OutboundRefusedError, type OutboundGuard } from './outbound-guard.js';

export interface OutboundResponse {
  readonly status: number;
  readonly statusText: string;
}

export interface OutboundPost {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** Why a request failed, in words that say nothing about what listens where. */
function plainFailure(error: unknown): string {
  if (error instanceof OutboundRefusedError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'request failed: the host name could not be resolved';
    case 'ECONNREFUSED':
      return 'request failed: the connection was refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'request failed: the connection was closed early';
    case 'ABORT_ERR':
    case 'ETIMEDOUT':
      return 'request failed: no answer in time';
    default:
      return error instanceof Error && error.name === 'AbortError' ? 'request failed: no answer in time' : 'request failed: the connection could not be made';
  }
}

/** POSTs `body` to `url` through `guard`; resolves with the status, throws an Error with a plain reason. */
export async function guardedPost(guard: OutboundGuard, url: string, post: OutboundPost): Promise<OutboundResponse> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('request failed: only http:// and https:// targets are sent to');
  try {
    await guard.checkUrl(target);
  } catch (error) {
    throw new Error(plainFailure(error));
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const request = send(target, {
      method: 'POST',
      headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
      // A fresh agent per request: no pooled socket can skip the connect-time lookup.
      agent: false,
      lookup: guard.lookup,
      signal: AbortSignal.timeout(post.timeoutMs),
    });
    request.once('response', (response: IncomingMessage) => {
      // The body is not needed; reading it to the end frees the socket.
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' }));
      response.once('error', (error) => reject(new Error(plainFailure(error))));
    });
    request.once('error', (error) => reject(new Error(plainFailure(error))));
    request.end(post.body);
  });
}
