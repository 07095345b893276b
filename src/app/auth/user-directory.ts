/**
 * The users of this server: create, find, list and change them. E-mail addresses are
 * stored and compared in one normal form (`normalizeEmail`); handles are unique because
 * incident logs name people by handle. Every password chosen here passes the password
 * policy first, so nothing is stored when one is refused.
 */
import type { Kysely, Selectable } from 'kysely';
import { normalizeEmail } from '../../domain/auth/email-address.js';
import { FirebreakError } from '../../domain/errors.js';
import type { Database, UsersTable } from '../../store/database.js';
import type { TimeSource } from '../time-source.js';
import { hashPassword } from './password-hash.js';
import { checkPassword } from './password-policy.js';
import { randomSecret } from './secret-token.js';
import type { OrgRole, User } from './user.js';

export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly handle: string;
  readonly role: OrgRole;
  readonly password?: string;
  readonly oidcSubject?: string;
}

export interface UserChanges {
  readonly name?: string;
  readonly role?: OrgRole;
  readonly disabled?: boolean;
  readonly password?: string;
}

export function toUser(row: Selectable<UsersTable>): User {
  return { id: row.id, email: row.email, name: row.name, handle: row.handle, role: row.role as OrgRole, disabled: row.disabled === 1 };
}

export class UserDirectory {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly time: TimeSource,
  ) {}

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async create(input: NewUser): Promise<User> {
    const email = normalizeEmail(input.email);
    if (input.password !== undefined) checkPassword(input.password, { email, name: input.name, handle: input.handle });
    const clash = await this.db
      .selectFrom('users')
      .select(['email', 'handle'])
      .where((eb) => eb.or([eb('email', '=', email), eb('handle', '=', input.handle)]))
      .executeTakeFirst();
    if (clash) {
      const field = clash.email === email ? 'email' : 'handle';
      throw new FirebreakError('FB_ERR_USER_EXISTS', `a user with this ${field} already exists`, [{ path: field, message: 'already taken' }]);
    }
    const row = {
      id: `usr_${randomSecret(12)}`,
      email,
      name: input.name.trim(),
      handle: input.handle,
      role: input.role,
      password_hash: input.password ? await hashPassword(input.password) : null,
      oidc_subject: input.oidcSubject ?? null,
      disabled: 0,
      time_zone: null,
      created_at: this.time.now().toISOString(),
    };
    await this.db.insertInto('users').values(row).execute();
    return toUser(row);
  }

  async get(id: string): Promise<User> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new FirebreakError('FB_ERR_USER_NOT_FOUND', `no user ${id}`);
    return toUser(row);
  }

  async findRowByEmail(email: string): Promise<Selectable<UsersTable> | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  }

  async findByOidcSubject(subject: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async linkOidc(userId: string, subject: string): Promise<void> {
    await this.db.updateTable('users').set({ oidc_subject: subject }).where('id', '=', userId).execute();
  }

  async handleTaken(handle: string): Promise<boolean> {
    return (await this.db.selectFrom('users').select('id').where('handle', '=', handle).executeTakeFirst()) !== undefined;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toUser);
  }

  async update(id: string, changes: UserChanges): Promise<User> {
    const before = await this.get(id);
    if (changes.password !== undefined) checkPassword(changes.password, { email: before.email, name: changes.name ?? before.name, handle: before.handle });
    const set: Partial<Selectable<UsersTable>> = {};
    if (changes.name !== undefined) set.name = changes.name.trim();
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.disabled !== undefined) set.disabled = changes.disabled ? 1 : 0;
    if (changes.password !== undefined) set.password_hash = await hashPassword(changes.password);
    if (Object.keys(set).length > 0) await this.db.updateTable('users').set(set).where('id', '=', id).execute();
    return this.get(id);
  }
}
