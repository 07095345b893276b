/**
 * Who uses Firebreak: a user with an organisation role. `handle` is the name written in
 * incident logs (actor, role holder, member), so it is what the policy compares with.
 */
export const ORG_ROLES = ['admin', 'responder', 'viewer', 'reporter'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly handle: string;
  readonly role: OrgRole;
  readonly disabled: boolean;
}
