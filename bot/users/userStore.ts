import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';

export const Role = z.enum(['agent', 'supervisor', 'editor', 'admin']);
export type Role = z.infer<typeof Role>;

export interface User {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}

export const NewUser = z.object({
  name: z.string().trim().min(1, 'name is empty — give the person a display name').max(200),
  role: Role,
});

/** sha256 hex of a token: what the database keeps instead of the token. */
export const hashToken = (token: string): string =>
  crypto.createHash('sha256').update(token, 'utf8').digest('hex');

interface UserRow {
  id: string;
  name: string;
  role: string;
  created_at: string;
  disabled: boolean | number;
  token_hash: string;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  role: Role.parse(row.role),
  createdAt: row.created_at,
});

/**
 * Creates a user and returns it with its bearer token. The token is returned exactly once;
 * only its hash is stored, so a lost token is replaced, never recovered.
 */
export async function createUser(
  db: Knex,
  input: z.input<typeof NewUser>,
  now: () => Date = () => new Date(),
): Promise<User & { token: string }> {
  const { name, role } = NewUser.parse(input);
  const id = `u_${crypto.randomBytes(8).toString('hex')}`;
  const token = `adk_${crypto.randomBytes(24).toString('base64url')}`;
  const createdAt = now().toISOString();
  await db('users').insert({
    id,
    name,
    role,
    token_hash: hashToken(token),
    created_at: createdAt,
    disabled: false,
  });
  return { id, name, role, createdAt, token };
}

/** The enabled user holding this token, or null for an unknown, empty or disabled token. */
export async function findUserByToken(db: Knex, token: string): Promise<User | null> {
  if (!token) return null;
  const row = await db<UserRow>('users')
    .where({ token_hash: hashToken(token) })
    .first();
  if (!row || row.disabled === true || row.disabled === 1) return null;
  return toUser(row);
}

export async function listUsers(db: Knex): Promise<User[]> {
  const rows = await db<UserRow>('users').orderBy('created_at');
  return rows.map(toUser);
}

/**
 * Gives the user named `name` a new token and returns it (once, like createUser); the old
 * token stops working at once, on every instance, because each request looks its hash up.
 * A disabled user gets a token too but stays disabled. Null when nobody has that name.
 */
export async function rotateToken(
  db: Knex,
  name: string,
): Promise<(User & { token: string }) | null> {
  const row = await db<UserRow>('users').where({ name }).first();
  if (!row) return null;
  const token = `adk_${crypto.randomBytes(24).toString('base64url')}`;
  await db('users')
    .where({ id: row.id })
    .update({ token_hash: hashToken(token) });
  return { ...toUser(row), token };
}

/** Disables the user named `name` (their token stops working at once); false when unknown. */
export async function disableUser(db: Knex, name: string): Promise<boolean> {
  const count = await db('users').where({ name }).update({ disabled: true });
  return Number(count) > 0;
}
