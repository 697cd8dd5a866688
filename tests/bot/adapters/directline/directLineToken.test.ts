import crypto from 'node:crypto';
import {
  isSecret,
  signToken,
  verifyToken,
} from '../../../../bot/adapters/directline/directLineToken';
import { DirectLineError } from '../../../../bot/adapters/directline/errors';

const key = crypto.randomBytes(32);
const issuedAt = new Date('2026-11-23T10:00:00.000Z');
const later = (seconds: number) => new Date(issuedAt.getTime() + seconds * 1000);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    return err instanceof DirectLineError ? err.code : 'other';
  }
}

describe('Direct Line tokens', () => {
  const token = signToken(
    key,
    { kind: 'conversation', conversationId: 'c1', ttlSeconds: 60 },
    issuedAt,
  );
  /** The token with some claims changed, validly signed with our key. */
  const resigned = (over: Record<string, unknown>): string => {
    const [head, body] = token.split('.') as [string, string];
    const claims = { ...JSON.parse(Buffer.from(body, 'base64url').toString()), ...over };
    const signed = `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const sig = crypto.createHmac('sha256', key).update(signed).digest('base64url');
    return `${signed}.${sig}`;
  };

  it('accepts its own token re-signed unchanged (the helper below is sound)', () => {
    expect(verifyToken(key, resigned({}), 'conversation', later(1)).conv).toBe('c1');
  });

  it('round-trips the conversation and expiry', () => {
    expect(verifyToken(key, token, 'conversation', later(59))).toMatchObject({
      conv: 'c1',
      kind: 'conversation',
    });
  });

  it.each([
    ['expired', () => verifyToken(key, token, 'conversation', later(60)), 'TokenExpired'],
    ['of the wrong kind', () => verifyToken(key, token, 'stream', later(1)), 'BadToken'],
    [
      'signed with another key',
      () => verifyToken(crypto.randomBytes(32), token, 'conversation', later(1)),
      'BadToken',
    ],
    [
      'not a JWT',
      () => verifyToken(key, 'secret-looking-string', 'conversation', later(1)),
      'BadToken',
    ],
    [
      'with a rewritten payload',
      () => {
        const [head, , sig] = token.split('.');
        const forged = Buffer.from(
          JSON.stringify({ kind: 'conversation', conv: 'c2', iat: 0, exp: 9e9 }),
        ).toString('base64url');
        return verifyToken(key, `${head}.${forged}.${sig}`, 'conversation', later(1));
      },
      'BadToken',
    ],
    [
      'with "alg": "none" and no signature',
      () => {
        const [, body] = token.split('.');
        const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        return verifyToken(key, `${none}.${body}.`, 'conversation', later(1));
      },
      'BadToken',
    ],
    [
      'from another issuer, signed with our key',
      () => verifyToken(key, resigned({ iss: 'someone-else' }), 'conversation', later(1)),
      'BadToken',
    ],
    [
      'for another audience, signed with our key',
      () => verifyToken(key, resigned({ aud: 'askdesk:agents' }), 'conversation', later(1)),
      'BadToken',
    ],
  ])('rejects a token %s', (_name, run, code) => {
    expect(codeOf(run)).toBe(code);
  });

  it('never matches an empty configured secret', () => {
    expect(isSecret('', '')).toBe(false);
    expect(isSecret('s3cret', 's3cret')).toBe(true);
    expect(isSecret('s3cret', 's3cre')).toBe(false);
  });
});
