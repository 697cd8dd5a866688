import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { startAppHarness, type AppHarness } from '../../helpers/appHarness';

const appId = '11111111-2222-3333-4444-555555555555';
const channelIssuer = 'https://api.botframework.com';
const serviceUrl = 'https://webchat.botframework.com/';

/**
 * What login.botframework.com publishes, served locally: an OpenID metadata document whose
 * jwks_uri lists the public half of a test RSA key.
 */
async function startKeyServer(publicKey: crypto.KeyObject, kid: string) {
  const jwk = publicKey.export({ format: 'jwk' });
  let metadataRequests = 0;
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      metadataRequests += 1;
      res.end(JSON.stringify({ issuer: channelIssuer, jwks_uri: `${base}/v1/keys` }));
    } else if (req.url === '/v1/keys') {
      res.end(JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', endorsements: ['webchat'] }] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    metadataUrl: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
    metadataRequests: () => metadataRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const rsaPair = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('Bot Framework authentication against a local OpenID metadata document', () => {
  const kid = 'test-key-1';
  const signing = rsaPair();
  let keys: Awaited<ReturnType<typeof startKeyServer>>;
  let h: AppHarness;

  beforeAll(async () => {
    keys = await startKeyServer(signing.publicKey, kid);
    h = await startAppHarness({
      env: {
        MicrosoftAppId: appId,
        MicrosoftAppPassword: 'not-used-for-incoming-tokens',
        BOT_OPENID_METADATA_URL: keys.metadataUrl,
        MATCH_SENTENCE_ENCODER: 'off',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await keys?.close();
  });

  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => ({
    iss: channelIssuer,
    aud: appId,
    serviceurl: serviceUrl,
    nbf: nowSeconds() - 60,
    exp: nowSeconds() + 3600,
    ...over,
  });
  const sign = (payload: object, key: crypto.KeyObject = signing.privateKey, keyId = kid) =>
    jwt.sign(payload, key, { algorithm: 'RS256', keyid: keyId, noTimestamp: true });

  /** A typing activity: the bot answers it without sending anything back to the channel. */
  const post = (token: string | null) =>
    fetch(`${h.app.url}/api/messages`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(token !== null && { Authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({
        type: 'typing',
        id: crypto.randomUUID(),
        channelId: 'webchat',
        serviceUrl,
        conversation: { id: 'auth-conversation' },
        from: { id: 'user-1' },
        recipient: { id: appId },
      }),
    });

  it('accepts a token signed with the published key, for this bot, from the channel', async () => {
    const response = await post(sign(claims()));
    expect(response.status).toBe(200);
    expect(keys.metadataRequests()).toBeGreaterThan(0);
  });

  it.each([
    ['no token', () => null],
    [
      'another bot as audience',
      () => sign(claims({ aud: '99999999-0000-0000-0000-000000000000' })),
    ],
    ['another issuer', () => sign(claims({ iss: 'https://attacker.example' }))],
    [
      'an expired token',
      () => sign(claims({ nbf: nowSeconds() - 7200, exp: nowSeconds() - 3600 })),
    ],
    [
      'a token for another service URL',
      () => sign(claims({ serviceurl: 'https://evil.example/' })),
    ],
    [
      'alg "none"',
      () => jwt.sign(claims(), '', { algorithm: 'none', keyid: kid, noTimestamp: true }),
    ],
    [
      'a key the metadata does not publish',
      () => sign(claims(), rsaPair().privateKey, 'other-key'),
    ],
    ['another key under the published key id', () => sign(claims(), rsaPair().privateKey)],
    [
      'a symmetric key (HS256) under the published key id',
      () => jwt.sign(claims(), 'guessable', { algorithm: 'HS256', keyid: kid, noTimestamp: true }),
    ],
    ['garbage', () => 'not.a.jwt'],
  ])('answers 401 (never 500) for %s', async (_case, token) => {
    const response = await post(token());
    expect(response.status).toBe(401);
  });
});
