/**
 * Access tokens: JWTs signed with Ed25519 (`alg: EdDSA`) by node:crypto, the private key from the Secret,
 * the public key published as a JWKS. Verification accepts exactly `EdDSA` with our key id: `none`, HMAC
 * (`HS256` signed with the public key, the HS/RS confusion) and any other algorithm are refused before any
 * signature is checked.
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { AppError } from '@gamemetrics/service-kit/errors.ts';

export interface AccessClaims {
  iss: string;
  aud: string;
  sub: string;
  /** Rate-limit tier of the account. */
  tier: string;
  /** Permissions granted through the account's roles when the token was issued. */
  perms: string[];
  iat: number;
  exp: number;
  jti: string;
}

export interface Signer {
  kid: string;
  jwks: { keys: Array<Record<string, string>> };
  issue(claims: Omit<AccessClaims, 'iss' | 'aud' | 'iat' | 'exp' | 'jti'>, nowMs: number, ttlS: number): string;
  /** The verified claims, or an AppError(401) naming what is wrong. */
  verify(token: string, nowMs: number): AccessClaims;
}

export const AUDIENCE = 'prediction-api';

export function parseSigningKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('is not a PEM private key: put a PKCS#8 Ed25519 key there (openssl genpkey -algorithm ed25519)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`is a ${key.asymmetricKeyType} key; an Ed25519 key is required (openssl genpkey -algorithm ed25519)`);
  return key;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const unauthorized = (code: string, message: string) =>
  new AppError(401, code, message, { headers: { 'www-authenticate': `Bearer realm="prediction-api", error="invalid_token"` } });

export function createSigner(pem: string, issuer: string): Signer {
  const privateKey = parseSigningKey(pem);
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
  // RFC 7638 thumbprint: the key id changes exactly when the key does.
  const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest('base64url');
  const header = b64url(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid }));
  return {
    kid,
    jwks: { keys: [{ kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid, alg: 'EdDSA', use: 'sig' }] },
    issue(claims, nowMs, ttlS) {
      const iat = Math.floor(nowMs / 1000);
      const body: AccessClaims = { iss: issuer, aud: AUDIENCE, ...claims, iat, exp: iat + ttlS, jti: randomUUID() };
      const input = `${header}.${b64url(JSON.stringify(body))}`;
      return `${input}.${b64url(sign(null, Buffer.from(input), privateKey))}`;
    },
    verify(token, nowMs) {
      const parts = token.split('.');
      if (parts.length !== 3) throw unauthorized('TOKEN_MALFORMED', 'the bearer token is not a JWT (three base64url parts)');
      let head: { alg?: unknown; kid?: unknown };
      let claims: AccessClaims;
      try {
        head = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
        claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      } catch {
        throw unauthorized('TOKEN_MALFORMED', 'the bearer token\'s header or claims are not base64url JSON');
      }
      if (head.alg !== 'EdDSA')
        throw unauthorized('TOKEN_ALGORITHM_REJECTED', `tokens signed with ${JSON.stringify(head.alg)} are refused; this API signs and accepts only EdDSA (Ed25519)`);
      if (head.kid !== kid) throw unauthorized('TOKEN_KEY_UNKNOWN', 'the token names a signing key this API does not have (see /v1/.well-known/jwks.json)');
      if (!verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], 'base64url')))
        throw unauthorized('TOKEN_SIGNATURE_INVALID', 'the token\'s signature does not match its contents');
      if (claims.iss !== issuer || claims.aud !== AUDIENCE) throw unauthorized('TOKEN_CLAIMS_INVALID', 'the token was issued by or for someone else');
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) throw unauthorized('TOKEN_EXPIRED', 'the access token has expired; get a new one with the refresh token');
      if (typeof claims.sub !== 'string' || typeof claims.tier !== 'string' || !Array.isArray(claims.perms)) throw unauthorized('TOKEN_CLAIMS_INVALID', 'the token lacks sub, tier or perms');
      return claims;
    },
  };
}
