/**
 * Accounts, roles, API keys, refresh tokens, password resets and the audit log in PostgreSQL (migrations/
 * timescaledb/0010_prediction_api_accounts.sql, 0012_geo_password_resets.sql). API keys and refresh tokens are random 256-bit secrets stored as
 * their SHA-256 digest; passwords with scrypt (passwords.ts).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '@gamemetrics/service-kit/errors.ts';
import { checkPassword, hashPassword } from './passwords.ts';
import type { ResetMail } from './mail-relay.ts';

/** Who is calling, after authentication. */
export interface Principal {
  userId: string;
  /** The API key's id when one was used. */
  apiKeyId: string | null;
  tier: string;
  permissions: ReadonlySet<string>;
}

export interface IssuedRefresh {
  token: string;
  expiresAt: Date;
}

/** Role every new account gets. */
export const CUSTOMER_ROLE = 'customer';

const digest = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();
const unauthorized = (code: string, message: string) => new AppError(401, code, message, { headers: { 'www-authenticate': 'Bearer realm="prediction-api"' } });

/** A second reset mail for the same account within this many seconds is not sent (the first is still good). */
export const RESET_THROTTLE_S = 60;
const RESET_TOKEN = /^pr_[A-Za-z0-9_-]{43}$/;
const resetRefused = (code: string, message: string) => new AppError(400, code, message);

/** Most API keys a replica keeps authenticated in memory (oldest dropped first). */
const KEY_CACHE_MAX = 100_000;

export class Accounts {
  private readonly pool: pg.Pool;
  private readonly keyCache = new Map<string, { principal: Principal; until: number }>();

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  async register(username: string, password: string, tier: string, email?: string): Promise<{ id: string; username: string; email?: string; tier: string; roles: string[] }> {
    const id = randomUUID();
    const hash = await hashPassword(password);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query('INSERT INTO geo_users (id, username, password_hash, tier, email) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [id, username, hash, tier, email ?? null]);
      if (inserted.rowCount === 0) {
        const taken = await client.query('SELECT 1 FROM geo_users WHERE username = $1', [username]);
        if (taken.rowCount) throw new AppError(409, 'USERNAME_TAKEN', `the username ${JSON.stringify(username)} is taken; choose another`);
        throw new AppError(409, 'EMAIL_TAKEN', 'another account has this e-mail address; reset that account\'s password (POST /v1/auth/password-reset) or use another address');
      }
      await client.query('INSERT INTO geo_user_roles (user_id, role) VALUES ($1, $2)', [id, CUSTOMER_ROLE]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    return { id, username, ...(email === undefined ? {} : { email }), tier, roles: [CUSTOMER_ROLE] };
  }

  /** The account's id, tier and permissions if the password is right. */
  async login(username: string, password: string): Promise<Principal> {
    const { rows } = await this.pool.query<{ id: string; password_hash: string }>('SELECT id, password_hash FROM geo_users WHERE username = $1', [username]);
    // The same work whether or not the user exists, so timing does not tell usernames apart.
    const ok = await checkPassword(password, rows[0]?.password_hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    if (!rows[0] || !ok) throw unauthorized('INVALID_CREDENTIALS', 'unknown username or wrong password');
    return this.principal(rows[0].id, null);
  }

  async principal(userId: string, apiKeyId: string | null, keyTier?: string): Promise<Principal> {
    const { rows } = await this.pool.query<{ tier: string; permissions: string[] | null }>(
      `SELECT u.tier, array_agg(DISTINCT rp.permission) FILTER (WHERE rp.permission IS NOT NULL) AS permissions
         FROM geo_users u
         LEFT JOIN geo_user_roles ur ON ur.user_id = u.id
         LEFT JOIN geo_role_permissions rp ON rp.role = ur.role
        WHERE u.id = $1 GROUP BY u.tier`,
      [userId],
    );
    if (!rows[0]) throw unauthorized('ACCOUNT_UNKNOWN', 'the account no longer exists');
    return { userId, apiKeyId, tier: keyTier ?? rows[0].tier, permissions: new Set(rows[0].permissions ?? []) };
  }

  /**
   * The principal of an API key, from a per-replica cache of `ttlMs` (so a request costs no query), else
   * from the database: unknown and revoked keys are told apart (both 401) and never cached. A revocation
   * takes effect at once on the replica that revokes and within `ttlMs` on the others.
   */
  async authenticateKeyCached(key: string, now: number, ttlMs: number): Promise<Principal> {
    const id = digest(key).toString('base64');
    const hit = this.keyCache.get(id);
    if (hit && hit.until > now) return hit.principal;
    const principal = await this.authenticateKey(key);
    this.keyCache.delete(id);
    if (this.keyCache.size >= KEY_CACHE_MAX) this.keyCache.delete(this.keyCache.keys().next().value!);
    this.keyCache.set(id, { principal, until: now + ttlMs });
    return principal;
  }

  /** The principal of an API key from the database: unknown and revoked keys are told apart (both 401). */
  async authenticateKey(key: string): Promise<Principal> {
    const { rows } = await this.pool.query<{ id: string; user_id: string; tier: string; revoked_at: Date | null; permissions: string[] | null }>(
      `SELECT k.id, k.user_id, k.tier, k.revoked_at,
              array_agg(DISTINCT rp.permission) FILTER (WHERE rp.permission IS NOT NULL) AS permissions
         FROM geo_api_keys k
         LEFT JOIN geo_user_roles ur ON ur.user_id = k.user_id
         LEFT JOIN geo_role_permissions rp ON rp.role = ur.role
        WHERE k.key_hash = $1 GROUP BY k.id`,
      [digest(key)],
    );
    const row = rows[0];
    if (!row) throw unauthorized('API_KEY_UNKNOWN', 'the API key is not known; create one with POST /v1/api-keys');
    if (row.revoked_at) throw unauthorized('API_KEY_REVOKED', `the API key was revoked at ${row.revoked_at.toISOString()}; use another key`);
    return { userId: row.user_id, apiKeyId: row.id, tier: row.tier, permissions: new Set(row.permissions ?? []) };
  }

  async createKey(userId: string, name: string, tier: string): Promise<{ id: string; key: string; name: string; tier: string }> {
    const id = randomUUID();
    const key = `gk_${randomBytes(32).toString('base64url')}`;
    await this.pool.query('INSERT INTO geo_api_keys (id, user_id, name, key_hash, tier) VALUES ($1, $2, $3, $4, $5)', [id, userId, name, digest(key), tier]);
    return { id, key, name, tier };
  }

  async listKeys(userId: string): Promise<Array<{ id: string; name: string; tier: string; createdAt: string; revokedAt: string | null }>> {
    const { rows } = await this.pool.query<{ id: string; name: string; tier: string; created_at: Date; revoked_at: Date | null }>(
      'SELECT id, name, tier, created_at, revoked_at FROM geo_api_keys WHERE user_id = $1 ORDER BY created_at, id',
      [userId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, tier: r.tier, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null }));
  }

  /** Revokes one of the user's keys; false when the user has no such key. */
  async revokeKey(userId: string, keyId: string, now: Date): Promise<boolean> {
    for (const [id, entry] of this.keyCache) if (entry.principal.apiKeyId === keyId) this.keyCache.delete(id);
    const { rowCount } = await this.pool.query('UPDATE geo_api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND user_id = $2', [keyId, userId, now]);
    return (rowCount ?? 0) > 0;
  }

  /** A new refresh token, in a new family (login) or the given one (rotation). */
  async issueRefresh(userId: string, family: string | null, now: Date, ttlS: number): Promise<IssuedRefresh> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlS * 1000);
    await this.pool.query('INSERT INTO geo_refresh_tokens (id, family, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)', [id, family ?? randomUUID(), userId, digest(secret), expiresAt]);
    return { token: `rt_${id}.${secret}`, expiresAt };
  }

  /**
   * Use a refresh token once: marks it used and returns its user and family. A token used before means it
   * leaked (or a client replays it): the whole family is revoked and 401 REFRESH_TOKEN_REUSED.
   */
  async useRefresh(token: string, now: Date): Promise<{ userId: string; family: string }> {
    const m = /^rt_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) throw unauthorized('REFRESH_TOKEN_INVALID', 'the refresh token is malformed');
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ user_id: string; family: string; token_hash: Buffer; expires_at: Date; used_at: Date | null; revoked_at: Date | null }>(
        'SELECT user_id, family, token_hash, expires_at, used_at, revoked_at FROM geo_refresh_tokens WHERE id = $1 FOR UPDATE',
        [m[1]],
      );
      const row = rows[0];
      if (!row || !row.token_hash.equals(digest(m[2]))) throw unauthorized('REFRESH_TOKEN_INVALID', 'the refresh token is not known');
      if (row.revoked_at && !row.used_at) throw unauthorized('REFRESH_TOKEN_REVOKED', 'the session of this refresh token has ended (logout, or a reused token of the same session); sign in again');
      if (row.used_at) {
        await client.query('UPDATE geo_refresh_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE family = $1', [row.family, now]);
        await client.query('INSERT INTO geo_audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)', [now, `user:${row.user_id}`, 'refresh-token.reuse-detected', `family:${row.family}`, {}]);
        await client.query('COMMIT');
        throw unauthorized('REFRESH_TOKEN_REUSED', 'this refresh token was already used; every token of its session is now revoked: sign in again');
      }
      if (row.expires_at.getTime() <= now.getTime()) throw unauthorized('REFRESH_TOKEN_EXPIRED', 'the refresh token has expired; sign in again');
      await client.query('UPDATE geo_refresh_tokens SET used_at = $2 WHERE id = $1', [m[1], now]);
      await client.query('COMMIT');
      return { userId: row.user_id, family: row.family };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** Logout: revokes the refresh token's whole family. Unknown tokens are ignored (RFC 7009: no oracle). */
  async revokeRefresh(token: string, now: Date): Promise<void> {
    const m = /^rt_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return;
    const { rows } = await this.pool.query<{ family: string; token_hash: Buffer; user_id: string }>('SELECT family, token_hash, user_id FROM geo_refresh_tokens WHERE id = $1', [m[1]]);
    if (!rows[0] || !rows[0].token_hash.equals(digest(m[2]))) return;
    await this.pool.query('UPDATE geo_refresh_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE family = $1', [rows[0].family, now]);
    await this.audit(now, `user:${rows[0].user_id}`, 'refresh-token.revoke', `family:${rows[0].family}`, {});
  }

  /**
   * A reset token for the account with this e-mail address (any case), valid `ttlS`: `unknown` when no
   * account has it, `throttled` when one was issued less than RESET_THROTTLE_S ago and is still unused.
   */
  async createReset(email: string, now: Date, ttlS: number): Promise<{ outcome: 'unknown' | 'throttled' } | { outcome: 'created'; mail: ResetMail }> {
    const { rows } = await this.pool.query<{ id: string; username: string; email: string }>('SELECT id, username, email FROM geo_users WHERE lower(email) = lower($1)', [email]);
    const user = rows[0];
    if (!user) return { outcome: 'unknown' };
    const recent = await this.pool.query('SELECT 1 FROM geo_password_resets WHERE user_id = $1 AND used_at IS NULL AND created_at > $2', [user.id, new Date(now.getTime() - RESET_THROTTLE_S * 1000)]);
    if (recent.rowCount) return { outcome: 'throttled' };
    const id = randomUUID();
    const token = `pr_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + ttlS * 1000);
    await this.pool.query('INSERT INTO geo_password_resets (id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [id, user.id, digest(token), now, expiresAt]);
    return { outcome: 'created', mail: { id, to: user.email, username: user.username, token, expiresAt } };
  }

  /** Forget a reset whose mail could not be sent, so the next request is not throttled. */
  async dropReset(id: string): Promise<void> {
    await this.pool.query('DELETE FROM geo_password_resets WHERE id = $1 AND used_at IS NULL', [id]);
  }

  /**
   * Sets a new password with a reset token, once: the token and every other open reset of the account are
   * used up, and every refresh token of the account is revoked (its sessions end). 400 RESET_TOKEN_INVALID,
   * RESET_TOKEN_USED or RESET_TOKEN_EXPIRED otherwise.
   */
  async confirmReset(token: string, password: string, now: Date): Promise<{ userId: string; sessionsRevoked: number }> {
    if (!RESET_TOKEN.test(token)) throw resetRefused('RESET_TOKEN_INVALID', 'the reset token is malformed; copy it whole from the mail (pr_…)');
    // Hashed before the transaction: scrypt's tens of milliseconds hold no row lock.
    const hash = await hashPassword(password);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ user_id: string; expires_at: Date; used_at: Date | null }>('SELECT user_id, expires_at, used_at FROM geo_password_resets WHERE token_hash = $1 FOR UPDATE', [digest(token)]);
      const row = rows[0];
      if (!row) throw resetRefused('RESET_TOKEN_INVALID', 'the reset token is not known; ask for a new one with POST /v1/auth/password-reset');
      if (row.used_at) throw resetRefused('RESET_TOKEN_USED', `the reset token was used at ${row.used_at.toISOString()}; a token works once: ask for a new one`);
      if (row.expires_at.getTime() <= now.getTime()) throw resetRefused('RESET_TOKEN_EXPIRED', `the reset token expired at ${row.expires_at.toISOString()}; ask for a new one with POST /v1/auth/password-reset`);
      await client.query('UPDATE geo_password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL', [row.user_id, now]);
      await client.query('UPDATE geo_users SET password_hash = $2 WHERE id = $1', [row.user_id, hash]);
      const revoked = await client.query('UPDATE geo_refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [row.user_id, now]);
      const sessionsRevoked = revoked.rowCount ?? 0;
      await client.query('INSERT INTO geo_audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)', [now, `user:${row.user_id}`, 'password.reset', `user:${row.user_id}`, { refreshTokensRevoked: sessionsRevoked }]);
      await client.query('COMMIT');
      return { userId: row.user_id, sessionsRevoked };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async audit(now: Date, actor: string, action: string, target: string, detail: Record<string, unknown>): Promise<void> {
    await this.pool.query('INSERT INTO geo_audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)', [now, actor, action, target, detail]);
  }
}
