/**
 * The route side of the policy: turns a "no" from `policy.ts` into the right answer and
 * an audit entry. A refused action is 403; an incident the user may not see is 404,
 * exactly as if it did not exist.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../app/auth/auth-service.js';
import type { AdvisoryState } from '../domain/advisory/state.js';
import { FirebreakError } from '../domain/errors.js';
import type { IncidentState } from '../domain/incident/state.js';
import type { HttpContext } from './http-context.js';
import { principalOf } from './auth/request-auth.js';
import { policy } from './policy.js';

async function recordDenial(context: HttpContext, request: FastifyRequest, principal: Principal, reason: string, subject?: string): Promise<void> {
  await context.auth.audit.record({
    action: 'denied',
    outcome: 'failure',
    userId: principal.user.id,
    subject: subject ?? `${request.method} ${request.routeOptions.url ?? request.url}`,
    ip: request.ip,
    detail: { reason, role: principal.user.role, via: principal.via },
  });
}

/** Throws 403 (and records it) unless `allowed`. */
export async function authorize(context: HttpContext, request: FastifyRequest, allowed: (principal: Principal) => boolean, what: string): Promise<Principal> {
  const principal = principalOf(request);
  if (allowed(principal)) return principal;
  await recordDenial(context, request, principal, what);
  throw new FirebreakError('FB_ERR_AUTH_FORBIDDEN', `your role (${principal.user.role}) may not ${what}`);
}

/** Loads an incident the caller may see; anything else is "no incident <id>". */
export async function visibleIncident(context: HttpContext, request: FastifyRequest, rawId: string): Promise<{ principal: Principal; state: IncidentState }> {
  const principal = principalOf(request);
  const id = rawId.trim().toUpperCase();
  let state: IncidentState;
  try {
    state = await context.app.incidents.get(id);
  } catch (error) {
    if (error instanceof FirebreakError) throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `no incident ${id}`);
    throw error;
  }
  if (!policy.canSeeIncident(principal.user, state)) {
    await recordDenial(context, request, principal, 'incident not visible', id);
    throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `no incident ${id}`);
  }
  return { principal, state };
}

/**
 * Loads an advisory and its incident for a caller who may read (or, with `write`, change)
 * it. An advisory of an incident the caller may not see is "no advisory <id>" (404), as
 * if it did not exist; one they see but may not read or change is 403.
 */
export async function visibleAdvisory(
  context: HttpContext,
  request: FastifyRequest,
  rawId: string,
  mode: 'read' | 'write',
): Promise<{ principal: Principal; advisory: AdvisoryState; incident: IncidentState }> {
  const principal = principalOf(request);
  const id = rawId.trim().toUpperCase();
  const advisory = await context.app.advisories.find(id);
  const incident = advisory ? await context.app.incidents.get(advisory.incidentId) : undefined;
  if (!advisory || !incident || !policy.canSeeIncident(principal.user, incident)) {
    if (advisory) await recordDenial(context, request, principal, 'advisory of an incident not visible', id);
    throw new FirebreakError('FB_ERR_ADVISORY_NOT_FOUND', `no advisory ${id}`);
  }
  const allowed = mode === 'write' ? policy.canWriteAdvisory(principal.user, incident) : policy.canReadAdvisory(principal.user, incident);
  if (!allowed) {
    await recordDenial(context, request, principal, `${mode} advisories`, id);
    throw new FirebreakError('FB_ERR_AUTH_FORBIDDEN', `your role (${principal.user.role}) may not ${mode === 'write' ? 'change' : 'read'} advisories`);
  }
  return { principal, advisory, incident };
}
