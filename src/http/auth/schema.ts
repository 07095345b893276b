/** Request and response shapes of sign-in, sessions, API tokens and users. */
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from '../../app/auth/password-policy.js';
import { ORG_ROLES } from '../../app/auth/user.js';

export const handleSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'must be 1–40 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit')
  .describe('The name written in incident logs.');
/** Length only; what makes a password guessable is the password policy's (app/auth/password-policy.ts) to say. */
export const passwordSchema = z.string().min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`).max(200, 'must be at most 200 characters');
const emailSchema = z.email('must be an e-mail address').max(320);

export const userSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), handle: z.string(), role: z.enum(ORG_ROLES), disabled: z.boolean() })
  .meta({ id: 'User' });

export const sessionSchema = z.object({
  user: userSchema.nullable(),
  csrfToken: z.string().nullable().describe('Send as X-CSRF-Token on every cookie-authenticated change.'),
  setupRequired: z.boolean(),
  oidc: z.object({ enabled: z.boolean(), name: z.string().nullable() }),
});

export const setupBody = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(200),
  handle: handleSchema,
  password: passwordSchema,
  setupToken: z.string().max(200).optional().describe('From the setup link in the server log; not needed from the server machine itself.'),
});

export const loginBody = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) });
export const loginResponse = z.object({ user: userSchema, csrfToken: z.string() });

export const tokenSchema = z
  .object({ id: z.string(), name: z.string(), prefix: z.string(), createdAt: z.string(), expiresAt: z.string().nullable(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
  .meta({ id: 'ApiToken' });
export const tokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional().describe('Default: 90 days from now; null: never expires.'),
});
export const newTokenResponse = z.object({ token: tokenSchema, secret: z.string().describe('Shown once; store it now.') });
export const tokenParams = z.object({ id: z.string().min(1).max(64) });

export const newUserBody = z.object({ email: emailSchema, name: z.string().trim().min(1).max(200), handle: handleSchema, role: z.enum(ORG_ROLES), password: passwordSchema.optional() });
export const userPatchBody = z.object({ name: z.string().trim().min(1).max(200).optional(), role: z.enum(ORG_ROLES).optional(), disabled: z.boolean().optional(), password: passwordSchema.optional() });
export const userParams = z.object({ id: z.string().min(1).max(64) });

export const credentialsEndedSchema = z.object({ sessions: z.number().int().describe('Sessions ended'), tokens: z.number().int().describe('API tokens revoked') });
export const ownSessionSchema = z
  .object({ id: z.string(), createdAt: z.string(), expiresAt: z.string(), current: z.boolean().describe('The session this request came with.') })
  .meta({ id: 'Session' });
export const sessionParams = z.object({ id: z.string().min(1).max(64) });
export const passwordChangeBody = z.object({ currentPassword: z.string().min(1).max(1000), password: passwordSchema });
