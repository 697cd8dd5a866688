import type { Request } from 'restify';
import { AuthError, TokenAuth } from '../../../bot/users/tokenAuth';
import { createUser, findUserByToken, hashToken } from '../../../bot/users/userStore';
import { createTestDb, testDialects, type TestDb } from '../../helpers/testDb';

const requestWith = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as unknown as Request;

describe.each(testDialects())('users and bearer tokens on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('stores only the hash of a new token and finds the user by the token', async () => {
    const user = await createUser(t.db, { name: 'Dana', role: 'agent' });
    const rows = await t.db('users').where({ id: user.id });
    expect(rows[0].token_hash).toBe(hashToken(user.token));
    expect(JSON.stringify(rows)).not.toContain(user.token);
    expect(await findUserByToken(t.db, user.token)).toMatchObject({ id: user.id, role: 'agent' });
    expect(await findUserByToken(t.db, `${user.token}x`)).toBeNull();
    expect(await findUserByToken(t.db, '')).toBeNull();
  });

  it('rejects an unknown role and an empty name, naming the field', async () => {
    await expect(createUser(t.db, { name: 'X', role: 'boss' as never })).rejects.toThrow(
      /role|option/i,
    );
    await expect(createUser(t.db, { name: '  ', role: 'agent' })).rejects.toThrow(/name/);
  });

  it('answers 401 for missing or unknown tokens and 403 for the wrong role; admins pass everywhere', async () => {
    const auth = new TokenAuth(t.db);
    const editor = await createUser(t.db, { name: 'Eve', role: 'editor' });
    const admin = await createUser(t.db, { name: 'Ada', role: 'admin' });
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: AuthError) => e.code,
      );
    expect(await codeOf(auth.require(requestWith(), ['agent']))).toBe('unauthorized');
    expect(await codeOf(auth.require(requestWith('Basic abc'), ['agent']))).toBe('unauthorized');
    expect(await codeOf(auth.require(requestWith('Bearer nope'), ['agent']))).toBe('unauthorized');
    expect(await codeOf(auth.require(requestWith(`Bearer ${editor.token}`), ['agent']))).toBe(
      'forbidden',
    );
    expect(await codeOf(auth.require(requestWith(`Bearer ${editor.token}`), ['editor']))).toBe(
      'ok',
    );
    expect(await codeOf(auth.require(requestWith(`Bearer ${admin.token}`), ['agent']))).toBe('ok');
  });
});
