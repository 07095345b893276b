/** Managing users (admins only): list, add, change role, disable, reset a password. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FirebreakError } from '../../domain/errors.js';
import { authorize } from '../access.js';
import { presentUser } from '../auth/present.js';
import { newUserBody, userParams, userPatchBody, userSchema } from '../auth/schema.js';
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
    const user = await auth.users.update(request.params.id, changes);
    await auth.audit.record({ action: 'user_changed', outcome: 'success', userId: principal.user.id, subject: user.id, ip: request.ip, detail: { fields: Object.keys(changes).filter((k) => k !== 'password').concat(changes.password ? ['password'] : []) } });
    return presentUser(user);
  });
}
