/**
 * user-service's tables (migrations/timescaledb/0003_players_and_gdpr.sql): player profiles with
 * consent, GDPR deletion requests (also the outbox of gdpr.deletion.requests) and their audit.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { recordDeletion } from '@gamemetrics/service-kit/gdpr.ts';

export const PROFILE_STORE = 'profile';

export interface Consent {
  analytics: boolean;
  marketing: boolean;
}

export interface Player {
  playerId: string;
  displayName: string;
  email: string;
  country: string | null;
  consent: Consent;
  createdAt: string;
  updatedAt: string;
}

export interface NewPlayer {
  playerId: string;
  displayName: string;
  email: string;
  country?: string;
  consent: Consent;
}

export interface PlayerChanges {
  displayName?: string;
  email?: string;
  country?: string;
  consent?: Partial<Consent>;
}

const COLUMNS = 'player_id, display_name, email, country, consent_analytics, consent_marketing, created_at, updated_at';

interface PlayerRow {
  player_id: string;
  display_name: string;
  email: string;
  country: string | null;
  consent_analytics: boolean;
  consent_marketing: boolean;
  created_at: Date;
  updated_at: Date;
}

const toPlayer = (r: PlayerRow): Player => ({
  playerId: r.player_id,
  displayName: r.display_name,
  email: r.email,
  country: r.country,
  consent: { analytics: r.consent_analytics, marketing: r.consent_marketing },
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The new profile, or null when the id is taken. */
export async function createPlayer(pool: pg.Pool, p: NewPlayer): Promise<Player | null> {
  const { rows } = await pool.query<PlayerRow>(
    `INSERT INTO players (player_id, display_name, email, country, consent_analytics, consent_marketing)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (player_id) DO NOTHING RETURNING ${COLUMNS}`,
    [p.playerId, p.displayName, p.email, p.country ?? null, p.consent.analytics, p.consent.marketing],
  );
  return rows[0] ? toPlayer(rows[0]) : null;
}

export async function getPlayer(pool: pg.Pool, playerId: string): Promise<Player | null> {
  const { rows } = await pool.query<PlayerRow>(`SELECT ${COLUMNS} FROM players WHERE player_id = $1`, [playerId]);
  return rows[0] ? toPlayer(rows[0]) : null;
}

/** Apply the given fields only; null when there is no such player. */
export async function updatePlayer(pool: pg.Pool, playerId: string, c: PlayerChanges): Promise<Player | null> {
  const { rows } = await pool.query<PlayerRow>(
    `UPDATE players SET display_name = coalesce($2, display_name), email = coalesce($3, email), country = coalesce($4, country),
            consent_analytics = coalesce($5, consent_analytics), consent_marketing = coalesce($6, consent_marketing), updated_at = now()
      WHERE player_id = $1 RETURNING ${COLUMNS}`,
    [playerId, c.displayName ?? null, c.email ?? null, c.country ?? null, c.consent?.analytics ?? null, c.consent?.marketing ?? null],
  );
  return rows[0] ? toPlayer(rows[0]) : null;
}

export interface RequestRow {
  requestId: string;
  playerId: string;
  requestedAt: string;
}

/**
 * Delete the profile and record the request and the `profile` store's audit row, in one
 * transaction. Without a profile: the player's latest earlier request (a repeated DELETE), or null.
 */
export async function requestDeletion(pool: pg.Pool, playerId: string, service: string): Promise<{ request: RequestRow; created: boolean } | null> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const deleted = await client.query('DELETE FROM players WHERE player_id = $1', [playerId]);
    if (deleted.rowCount === 0) {
      await client.query('ROLLBACK');
      const { rows } = await client.query<{ request_id: string; requested_at: Date }>(
        'SELECT request_id::text, requested_at FROM gdpr_deletion_requests WHERE player_id = $1 ORDER BY requested_at DESC LIMIT 1',
        [playerId],
      );
      return rows[0] ? { request: { requestId: rows[0].request_id, playerId, requestedAt: rows[0].requested_at.toISOString() }, created: false } : null;
    }
    const requestId = randomUUID();
    const { rows } = await client.query<{ requested_at: Date }>('INSERT INTO gdpr_deletion_requests (request_id, player_id) VALUES ($1, $2) RETURNING requested_at', [requestId, playerId]);
    await recordDeletion(client, requestId, PROFILE_STORE, service, { profiles: 1 });
    await client.query('COMMIT');
    return { request: { requestId, playerId, requestedAt: rows[0].requested_at.toISOString() }, created: true };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

export interface RequestStatus {
  requestId: string;
  playerId: string;
  status: 'pending' | 'completed';
  requestedAt: string;
  completedAt?: string;
  stores: Record<string, { status: 'pending' | 'completed'; completedAt?: string }>;
}

interface StatusRow {
  request_id: string;
  player_id: string;
  requested_at: Date;
  audit: Array<{ store: string; completed_at: string }> | null;
}

function toStatus(r: StatusRow, expected: string[]): RequestStatus {
  const done = new Map((r.audit ?? []).map((a) => [a.store, new Date(a.completed_at).toISOString()]));
  const stores: RequestStatus['stores'] = {};
  for (const store of expected) {
    const at = done.get(store);
    stores[store] = at ? { status: 'completed', completedAt: at } : { status: 'pending' };
  }
  const complete = expected.every((s) => done.has(s));
  const status: RequestStatus = { requestId: r.request_id, playerId: r.player_id, status: complete ? 'completed' : 'pending', requestedAt: r.requested_at.toISOString(), stores };
  if (complete) status.completedAt = expected.map((s) => done.get(s) as string).sort().at(-1);
  return status;
}

const STATUS_SELECT = `SELECT r.request_id::text, r.player_id, r.requested_at,
       (SELECT json_agg(json_build_object('store', a.store, 'completed_at', a.completed_at)) FROM gdpr_deletion_audit a WHERE a.request_id = r.request_id) AS audit
  FROM gdpr_deletion_requests r`;

export async function requestStatus(pool: pg.Pool, requestId: string, expected: string[]): Promise<RequestStatus | null> {
  const { rows } = await pool.query<StatusRow>(`${STATUS_SELECT} WHERE r.request_id = $1`, [requestId]);
  return rows[0] ? toStatus(rows[0], expected) : null;
}

export async function listRequests(pool: pg.Pool, limit: number, expected: string[]): Promise<RequestStatus[]> {
  const { rows } = await pool.query<StatusRow>(`${STATUS_SELECT} ORDER BY r.requested_at DESC, r.request_id DESC LIMIT $1`, [limit]);
  return rows.map((r) => toStatus(r, expected));
}
