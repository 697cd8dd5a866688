import crypto from 'node:crypto';
import { z } from 'zod';
import { DirectLineError } from './errors';

/**
 * What a token grants. `conversation` tokens authorise the REST calls for one conversation;
 * `stream` tickets only open that conversation's WebSocket, live a minute, and are the only
 * credential ever placed in a URL (browsers cannot send headers with a WebSocket).
 */
export type TokenKind = 'conversation' | 'stream';

/** Who issues these tokens and who accepts them: this server's Direct Line endpoint only. */
export const tokenIssuer = 'askdesk';
export const tokenAudience = 'askdesk:directline';

const Claims = z.object({
  iss: z.literal(tokenIssuer),
  aud: z.literal(tokenAudience),
  kind: z.enum(['conversation', 'stream']),
  conv: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type TokenClaims = z.infer<typeof Claims>;

const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64Url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

function signature(key: Buffer, signedPart: string): string {
  return crypto.createHmac('sha256', key).update(signedPart).digest('base64url');
}

/**
 * Signs a JWT (HS256) for one conversation. The JWT shape matters: DirectLineJS decodes tokens
 * with jwt-decode to look for a `user` claim, which we leave out so pages may set their user id.
 */
export function signToken(
  key: Buffer,
  claims: { kind: TokenKind; conversationId: string; ttlSeconds: number },
  now: Date,
): string {
  const iat = Math.floor(now.getTime() / 1000);
  const payload: TokenClaims = {
    iss: tokenIssuer,
    aud: tokenAudience,
    kind: claims.kind,
    conv: claims.conversationId,
    iat,
    exp: iat + claims.ttlSeconds,
  };
  const signedPart = `${header}.${base64Url(JSON.stringify(payload))}`;
  return `${signedPart}.${signature(key, signedPart)}`;
}

/**
 * Checks signature (always HS256 with our key, whatever the header claims, so `alg: none` or
 * another algorithm never verifies), issuer, audience, kind and expiry. Throws `BadToken` for anything forged or malformed and
 * `TokenExpired` once `exp` has passed; never returns claims it has not verified.
 */
export function verifyToken(key: Buffer, token: string, kind: TokenKind, now: Date): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new DirectLineError('BadToken', 'The token is not a Direct Line token');
  const [head, body, sig] = parts as [string, string, string];
  const expected = Buffer.from(signature(key, `${head}.${body}`));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
    throw new DirectLineError('BadToken', 'The token signature is not valid');
  }
  const parsed = Claims.safeParse(parseJson(Buffer.from(body, 'base64url').toString('utf8')));
  if (!parsed.success || parsed.data.kind !== kind) {
    throw new DirectLineError('BadToken', `The token is not a Direct Line ${kind} token`);
  }
  if (parsed.data.exp * 1000 <= now.getTime()) {
    throw new DirectLineError('TokenExpired', 'The token has expired; fetch a new one');
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Constant-time comparison for the website secret. An empty configured secret matches nothing. */
export function isSecret(configured: string, given: string): boolean {
  if (!configured) return false;
  const a = crypto.createHash('sha256').update(configured).digest();
  const b = crypto.createHash('sha256').update(given).digest();
  return crypto.timingSafeEqual(a, b);
}
