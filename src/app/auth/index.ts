export { type AuditAction, type AuditEntry, AuditLog, type AuditLogger } from './audit-log.js';
export { type ApiTokenInfo, type AuthOptions, AuthService, type NewSession, type Principal } from './auth-service.js';
export { hashPassword, verifyPassword } from './password-hash.js';
export { ORG_ROLES, type OrgRole, type User } from './user.js';
export { type NewUser, UserDirectory, type UserChanges } from './user-directory.js';
