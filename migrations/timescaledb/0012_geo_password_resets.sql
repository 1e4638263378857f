-- prediction-api (tenant geo-climate): password reset through a one-time token (apps/prediction-api/README.md).
-- Accounts get an optional e-mail address, where a reset token is sent; addresses are unique regardless of case.
-- A reset token is stored as its SHA-256 digest only, with its expiry; confirming marks it used.
ALTER TABLE geo_climate.geo_users ADD COLUMN email text CHECK (email IS NULL OR (length(email) <= 254 AND email LIKE '%_@_%'));
CREATE UNIQUE INDEX geo_users_email ON geo_climate.geo_users (lower(email));

CREATE TABLE geo_climate.geo_password_resets (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES geo_climate.geo_users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX geo_password_resets_user ON geo_climate.geo_password_resets (user_id, created_at);
