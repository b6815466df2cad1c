-- @sess/postgres: the session table (idempotent; run as one transaction: psql --single-transaction -f).
SELECT pg_advisory_xact_lock(hashtext('@sess/postgres schema'));
CREATE TABLE IF NOT EXISTS "sess_sessions" (
  "key" text COLLATE "C" PRIMARY KEY,
  "state" text NOT NULL,
  "expires_at" timestamptz NOT NULL,
  "owner" text,
  "owner_session_id" text
);
-- The cleanup deletes expired rows in expiry order, a batch at a time.
CREATE INDEX IF NOT EXISTS "sess_sessions_expires_at" ON "sess_sessions" ("expires_at");
-- A user's sessions: only rows with an owner are indexed.
CREATE INDEX IF NOT EXISTS "sess_sessions_owner" ON "sess_sessions" ("owner", "owner_session_id") WHERE "owner" IS NOT NULL;
