/**
 * Managing users (admins only): list, add, change role, disable, reset a password, sign
 * someone out everywhere. A new password, a new role or disabling ends every session and
 * revokes every API token of that user (see `CredentialEnd` in auth-service.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FirebreakError } from '../../domain/errors.js';
import { authorize } from '../access.js';
import { presentUser } from '../auth/present.js';
import { credentialsEndedSchema, newUserBody, userParams, userPatchBody, userSchema } from '../auth/schema.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';

export async function userRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { auth } = context;
  const canManage = (p: Parameters<typeof policy.canManageOwnTokens>[0]) => policy.canManageUsers(p.user);

  r.get('/users', {
    schema: { tags: [TAGS.users], summary: 'Every user (admins)', response: { 200: z.object({ items: z.array(userSchema) }), ...problemResponses } },
  }, async (request) => {
    await authorize(context, request, canManage, 'manage users');
    return { items: (await auth.users.list()).map(presentUser) };
  });

  r.post('/users', {
    schema: { tags: [TAGS.users], summary: 'Add a user (admins)', body: newUserBody, response: { 201: userSchema, ...problemResponses } },
  }, async (request, reply) => {
    const principal = await authorize(context, request, canManage, 'manage users');
    const user = await auth.users.create(request.body);
    await auth.audit.record({ action: 'user_created', outcome: 'success', userId: principal.user.id, subject: user.id, ip: request.ip, detail: { role: user.role } });
    return reply.code(201).send(presentUser(user));
  });

  r.patch('/users/:id', {
    schema: { tags: [TAGS.users], summary: 'Change a user: name, role, disabled, password (admins)', params: userParams, body: userPatchBody, response: { 200: userSchema, ...problemResponses } },
  }, async (request) => {
    const principal = await authorize(context, request, canManage, 'manage users');
    const changes = request.body;
    if (request.params.id === principal.user.id && (changes.disabled === true || (changes.role !== undefined && changes.role !== 'admin'))) {
      throw new FirebreakError('FB_ERR_INPUT_INVALID', 'you cannot disable yourself or give up your own admin role; ask another admin', [{ path: changes.disabled ? 'disabled' : 'role', message: 'not allowed on yourself' }]);
    }
    const before = await auth.users.get(request.params.id);
    const user = await auth.users.update(request.params.id, changes);
    await auth.audit.record({ action: 'user_changed', outcome: 'success', userId: principal.user.id, subject: user.id, ip: request.ip, detail: { fields: Object.keys(changes).filter((k) => k !== 'password').concat(changes.password ? ['password'] : []) } });
    const why = changes.password !== undefined ? 'password_changed' : user.role !== before.role ? 'role_changed' : user.disabled && !before.disabled ? 'disabled' : null;
    // An admin resetting their own password keeps the session they are using.
    const keep = user.id === principal.user.id && principal.via === 'session' ? { keepSession: principal.sessionHash } : {};
    if (why) await auth.endCredentials(user.id, why, { actorId: principal.user.id, ip: request.ip, ...keep });
    return presentUser(user);
  });

  r.post('/users/:id/sign-out', {
    schema: {
      tags: [TAGS.users],
      summary: 'Sign a user out everywhere: end every session and revoke every API token (admins)',
      params: userParams,
      response: { 200: credentialsEndedSchema, ...problemResponses },
    },
  }, async (request) => {
    const principal = await authorize(context, request, canManage, 'manage users');
    const user = await auth.users.get(request.params.id);
    return auth.endCredentials(user.id, 'signed_out_everywhere', { actorId: principal.user.id, ip: request.ip });
  });
}
