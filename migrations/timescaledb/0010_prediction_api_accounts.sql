-- prediction-api (tenant geo-climate): accounts, roles and permissions, API keys, refresh tokens and the
-- audit log (apps/prediction-api/README.md). Tables are prefixed geo_ because the schema is shared.
CREATE TABLE geo_permissions (
  name text PRIMARY KEY CHECK (name ~ '^[a-z-]+:[a-z-]+$'),
  description text NOT NULL
);

CREATE TABLE geo_roles (
  name text PRIMARY KEY,
  description text NOT NULL
);

CREATE TABLE geo_role_permissions (
  role text NOT NULL REFERENCES geo_roles (name) ON DELETE CASCADE,
  permission text NOT NULL REFERENCES geo_permissions (name) ON DELETE CASCADE,
  PRIMARY KEY (role, permission)
);

CREATE TABLE geo_users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  tier text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE geo_user_roles (
  user_id uuid NOT NULL REFERENCES geo_users (id) ON DELETE CASCADE,
  role text NOT NULL REFERENCES geo_roles (name) ON DELETE CASCADE,
  PRIMARY KEY (user_id, role)
);

-- Keys are stored as their SHA-256 digest; the key itself is shown once, at creation.
CREATE TABLE geo_api_keys (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES geo_users (id) ON DELETE CASCADE,
  name text NOT NULL,
  key_hash bytea NOT NULL UNIQUE,
  tier text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX geo_api_keys_user ON geo_api_keys (user_id);

-- Rotating refresh tokens: each use marks the row used and issues the next in the same family; a used
-- token presented again revokes the whole family (reuse detection).
CREATE TABLE geo_refresh_tokens (
  id uuid PRIMARY KEY,
  family uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES geo_users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX geo_refresh_tokens_family ON geo_refresh_tokens (family);

CREATE TABLE geo_audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'
);

INSERT INTO geo_permissions (name, description) VALUES
  ('predictions:create', 'request predictions'),
  ('models:read', 'list model versions'),
  ('models:promote', 'promote a model version to serving (audited)'),
  ('api-keys:manage', 'create, list and revoke one''s own API keys');

INSERT INTO geo_roles (name, description) VALUES
  ('customer', 'every registered account: predictions and own API keys'),
  ('model-admin', 'data scientists: list and promote model versions');

INSERT INTO geo_role_permissions (role, permission) VALUES
  ('customer', 'predictions:create'),
  ('customer', 'models:read'),
  ('customer', 'api-keys:manage'),
  ('model-admin', 'models:read'),
  ('model-admin', 'models:promote');
