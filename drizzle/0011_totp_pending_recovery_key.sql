-- The enrolment key kept (sealed) between page loads, and the per-person HMAC key of recovery codes.
-- Existing rows are untouched: old 8-character recovery codes (plain SHA-256) keep working until the
-- person makes new ones; /account/2fa asks them to.
ALTER TABLE "users" ADD COLUMN "totp_pending_secret" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "recovery_code_key" text;