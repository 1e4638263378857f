/**
 * prediction-api's parts that need no server, one case each: which database failures are retryable, the
 * manifest figures exported as model quality, the limiter's window length, access-token claims and keys,
 * password hashes, and the mail relay client against a real local HTTP server (answers, refusals, silence,
 * redirects).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { generateKeyPairSync } from 'node:crypto';
import { databaseUnavailable } from '../src/database-faults.ts';
import { createSigner, parseSigningKey } from '../src/jwt.ts';
import { checkPassword, hashPassword } from '../src/passwords.ts';
import { MailRelay, MailRelayError } from '../src/mail-relay.ts';
import { windowMs } from '../src/rate-limiter.ts';
import { qualityFigures } from '../src/serving.ts';

/** A server error as node-postgres builds it from the server's ErrorResponse. */
function serverError(code: string): pg.DatabaseError {
  const e = new pg.DatabaseError(`server says ${code}`, 100, 'error');
  e.code = code;
  return e;
}

describe('database failures: retryable (503) or a fault (500)', () => {
  const retryable: Array<[string, unknown]> = [
    ['connection failure (08006)', serverError('08006')],
    ['too many connections (53300)', serverError('53300')],
    ['administrator shutdown (57P01)', serverError('57P01')],
    ['cannot connect now, starting up (57P03)', serverError('57P03')],
    ['serialization failure (40001)', serverError('40001')],
    ['deadlock (40P01)', serverError('40P01')],
    ['lock not available (55P03)', serverError('55P03')],
    ['statement timeout (57014)', serverError('57014')],
    ['connection refused (a socket error)', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' })],
    ['the server went away mid-query', new Error('Connection terminated unexpectedly')],
    ['the pool could not connect in time', new Error('timeout exceeded when trying to connect')],
  ];
  for (const [what, error] of retryable) test(`retryable: ${what}`, () => assert.equal(databaseUnavailable(error), true));

  const faults: Array<[string, unknown]> = [
    ['permission denied, a missing grant (42501)', serverError('42501')],
    ['undefined table, a missing migration (42P01)', serverError('42P01')],
    ['unique violation the code did not expect (23505)', serverError('23505')],
    ['invalid text representation (22P02)', serverError('22P02')],
    ['a bug: TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a bug whose message mentions connecting', new TypeError("Cannot read properties of undefined (reading 'connect')")],
    ['something thrown that is no Error', 'boom'],
  ];
  for (const [what, error] of faults) test(`a fault: ${what}`, () => assert.equal(databaseUnavailable(error), false));
});

describe('model quality figures from a manifest', () => {
  test('numeric figures in snake_case; the seed and anything not a finite number left out', () => {
    const manifest = { version: 'm-1', sha256: 'x', createdAt: '2026-11-30T00:00:00Z', metrics: { mse: 0.01, accuracy: 0.9, holdoutSamples: 600, seed: 7, baselineMse: 0.02, improvesOnBaseline: 1, broken: Number.NaN, label: 'x' as unknown as number } };
    assert.deepEqual(qualityFigures(manifest), [['mse', 0.01], ['accuracy', 0.9], ['holdout_samples', 600], ['baseline_mse', 0.02], ['improves_on_baseline', 1]]);
  });
  test('a manifest without metrics gives none', () => {
    assert.deepEqual(qualityFigures({ version: 'm-1', sha256: 'x', createdAt: '', metrics: undefined as unknown as Record<string, number> }), []);
  });
});

describe('the sliding window\'s length', () => {
  for (const [burst, perMinute, ms] of [[100, 60, 100_000], [500, 300, 100_000], [2000, 1000, 120_000], [60, 60, 60_000], [1, 7, 8572]] as const)
    test(`${burst} requests at ${perMinute}/min: a window of ${ms} ms`, () => assert.equal(windowMs(burst, perMinute), ms));
});

describe('the mail relay client, against a real HTTP server', () => {
  let server: Server;
  let url: string;
  const received: Array<{ path: string; headers: Record<string, unknown>; body: any }> = [];
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        if (path === '/silent') return; // never answers
        if (path === '/moved') return void res.writeHead(302, { location: '/ok' }).end();
        received.push({ path, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(path === '/refuse' ? 500 : 202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const mail = { id: '6f1c2a8e-0000-4000-8000-000000000001', to: 'someone@example.org', username: 'someone', token: `pr_${'a'.repeat(43)}`, expiresAt: new Date('2026-11-30T10:30:00Z') };

  test('a 2xx: one JSON message with the bearer secret and the reset as idempotency key', async () => {
    await new MailRelay(`${url}/ok`, 'relay-secret-0123456789', 2000).sendPasswordReset(mail);
    const got = received.at(-1)!;
    assert.equal(got.headers.authorization, 'Bearer relay-secret-0123456789');
    assert.equal(got.headers['idempotency-key'], mail.id);
    assert.deepEqual(got.body.variables, { username: 'someone', token: mail.token, expiresAt: '2026-11-30T10:30:00.000Z' });
    assert.equal(got.body.to, 'someone@example.org');
    assert.ok(got.body.text.includes(mail.token) && got.body.text.includes('2026-11-30T10:30:00.000Z'));
  });
  test('a 5xx: MailRelayError naming the status', async () => {
    await assert.rejects(new MailRelay(`${url}/refuse`, 'relay-secret-0123456789', 2000).sendPasswordReset(mail), (e: Error) => e instanceof MailRelayError && /HTTP 500/.test(e.message));
  });
  test('no answer within the timeout: MailRelayError', async () => {
    await assert.rejects(new MailRelay(`${url}/silent`, 'relay-secret-0123456789', 200).sendPasswordReset(mail), (e: Error) => e instanceof MailRelayError && /did not answer/.test(e.message));
  });
  test('a redirect is not followed (the secret goes to the configured URL only)', async () => {
    const before = received.length;
    await assert.rejects(new MailRelay(`${url}/moved`, 'relay-secret-0123456789', 2000).sendPasswordReset(mail), MailRelayError);
    assert.equal(received.length, before);
  });
});

describe('access tokens (Ed25519 JWTs)', () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const signer = createSigner(pem, 'prediction-api.test');
  const now = Date.parse('2026-11-30T08:00:00Z');
  const claims = { sub: 'user-1', tier: 'free', perms: ['predictions:create'] };
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
      return 'accepted';
    } catch (e) {
      return (e as { code?: string }).code;
    }
  };

  test('issued and verified: the claims come back, exp is iat + ttl', () => {
    const verified = signer.verify(signer.issue(claims, now, 900), now + 1000);
    assert.deepEqual([verified.sub, verified.tier, verified.perms, verified.exp - verified.iat, verified.aud], ['user-1', 'free', ['predictions:create'], 900, 'prediction-api']);
  });
  test('at exp it has expired: TOKEN_EXPIRED', () => {
    assert.equal(codeOf(() => signer.verify(signer.issue(claims, now, 900), now + 900_000)), 'TOKEN_EXPIRED');
  });
  test('another issuer with the same key: TOKEN_CLAIMS_INVALID', () => {
    const other = createSigner(pem, 'someone-else');
    assert.equal(codeOf(() => signer.verify(other.issue(claims, now, 900), now)), 'TOKEN_CLAIMS_INVALID');
  });
  test('a token without perms: TOKEN_CLAIMS_INVALID', () => {
    assert.equal(codeOf(() => signer.verify(signer.issue({ sub: 'user-1', tier: 'free' } as typeof claims, now, 900), now)), 'TOKEN_CLAIMS_INVALID');
  });
  test('a header that is not base64url JSON: TOKEN_MALFORMED', () => {
    assert.equal(codeOf(() => signer.verify('%%%.e30.sig', now)), 'TOKEN_MALFORMED');
  });
  test('the signing key must be an Ed25519 PKCS#8 PEM: an RSA key and garbage are refused with the fix', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    assert.throws(() => parseSigningKey(rsa), /is a rsa key; an Ed25519 key is required/);
    assert.throws(() => parseSigningKey('not a key'), /is not a PEM private key: put a PKCS#8 Ed25519 key there/);
  });
});

describe('password hashes (scrypt)', () => {
  test('the stored form names scheme and parameters, with a random salt per hash', async () => {
    const [one, two] = [await hashPassword('correct horse battery'), await hashPassword('correct horse battery')];
    assert.match(one, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.notEqual(one, two);
  });
  test('the right password matches, a wrong one does not', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.equal(await checkPassword('correct horse battery', stored), true);
    assert.equal(await checkPassword('correct horse battery!', stored), false);
  });
  test('compatibility forms of a character are one password (NFKC)', async () => {
    assert.equal(await checkPassword('ﬁne password here', await hashPassword('fine password here')), true);
  });
  test('a stored value of another scheme never matches', async () => {
    assert.equal(await checkPassword('anything', 'bcrypt$2b$10$abc'), false);
  });
});
