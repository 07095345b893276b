export { type AuditAction, type AuditEntry, AuditLog, type AuditLogger } from './audit-log.js';
export {
  type ApiTokenInfo,
  type AuthOptions,
  AuthService,
  type CredentialEnd,
  DEFAULT_LOGIN_FAILURE_BUDGET,
  type LoginFailureBudget,
  type NewSession,
  type Principal,
  type SessionInfo,
} from './auth-service.js';
export { hashPassword, verifyPassword } from './password-hash.js';
export { checkPassword, PASSWORD_MIN_LENGTH, PASSWORD_MIN_SCORE, type PasswordContext, passwordProblem } from './password-policy.js';
export { ORG_ROLES, type OrgRole, type User } from './user.js';
export { type NewUser, UserDirectory, type UserChanges } from './user-directory.js';
