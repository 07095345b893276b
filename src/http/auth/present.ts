/** The one shape of a user that leaves the server (no hashes, no SSO subject). */
import type { User } from '../../app/auth/user.js';

export function presentUser(user: User) {
  return { id: user.id, email: user.email, name: user.name, handle: user.handle, role: user.role, disabled: user.disabled };
}
