/** Request and response shapes of the plan-message routes, shared with the CLI and the web app. */
import { z } from 'zod';

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a variable name like impact or details');

export const composeBody = z
  .object({
    template: z.string().trim().min(1).max(64).describe('Plan template: broadcast, internalNotification, externalDisclosure, …'),
    audience: z.string().trim().min(1).max(64).optional().describe("Defaults to the template's audience"),
    subject: z.string().max(500).optional().describe('An edited subject (taken as written)'),
    body: z.string().min(1).max(50_000).optional().describe('An edited body (taken as written)'),
    variables: z.record(variableName, z.string().max(10_000)).optional().describe('Values for template variables the incident does not fill'),
  })
  .strict();

export const rejectBody = z.object({ reason: z.string().trim().min(1, 'say why the message is rejected').max(2000) }).strict();

export const messageParams = z.object({ messageId: z.string().trim().min(1).max(64).describe('Message id') });

export const placeholderSchema = z.object({ text: z.string(), line: z.number().int(), field: z.enum(['subject', 'body']) });

export const composedSchema = z.object({
  incidentId: z.string(),
  template: z.string(),
  audience: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  missingVariables: z.array(z.string()).readonly(),
  placeholders: z.array(placeholderSchema).readonly(),
  approvalsNeeded: z.number().int(),
  recipients: z.array(z.string()).readonly(),
});

export const messageSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  template: z.string(),
  audience: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  status: z.enum(['review', 'sent', 'rejected']),
  author: z.string(),
  approvalsNeeded: z.number().int(),
  approvedBy: z.array(z.string()).readonly(),
  rejectedBy: z.string().nullable(),
  rejectReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type ComposeBody = z.infer<typeof composeBody>;
