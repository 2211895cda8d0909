/**
 * Staff accounts and their sessions. Secrets are never stored as given: passwords as argon2id
 * hashes, session and e-mail tokens as SHA-256 digests, the TOTP secret encrypted (crypto/).
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, timestamp, boolean, integer, bigint, varchar, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/pg-core';

/**
 * email_tokens.organization_id (an invitation's organisation) keeps its foreign key to directory's
 * organizations, named here by table and column only: auth is a platform service and imports no
 * domain module, not even a schema. Not exported, so it is no table of auth's (drizzle-kit and
 * db/schema.ts see only directory's); it only tells drizzle where the key points.
 */
const organizationsKey = pgTable('organizations', { id: uuid('id').primaryKey() });

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		email: text('email').notNull(), // stored trimmed and lower-cased
		displayName: text('display_name').notNull(),
		passwordHash: text('password_hash').notNull(),
		passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
		totpSecret: text('totp_secret'), // envelope-encrypted (crypto/), null until enrolled
		// The key shown during enrolment, kept (sealed) so a reload shows the same one; null once enrolled.
		totpPendingSecret: text('totp_pending_secret'),
		// Sealed 32 random bytes: the HMAC key of this person's recovery codes, new with each set.
		recoveryCodeKey: text('recovery_code_key'),
		totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
		// The 30-second step of the last accepted code: a code is never accepted twice (ASVS 2.8.4).
		totpLastStep: bigint('totp_last_step', { mode: 'number' }),
		lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('users_email_idx').on(t.email)]
);

/**
 * One-time recovery codes for a lost authenticator, stored as `h1:` + HMAC-SHA256 under the
 * person's sealed recovery_code_key; rows without the prefix are the old 8-character codes
 * (plain SHA-256), still accepted until the person makes new ones.
 */
export const recoveryCodes = pgTable(
	'recovery_codes',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		codeHash: text('code_hash').notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [primaryKey({ columns: [t.userId, t.codeHash] })]
);

export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(), // SHA-256 of the cookie's token; the token itself is never stored
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(), // absolute lifetime
		// False between the password and the second factor: such a session can only finish logging in.
		mfaPassed: boolean('mfa_passed').notNull().default(false),
		ip: text('ip'),
		userAgent: text('user_agent')
	},
	(t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)]
);

export const TOKEN_PURPOSES = ['invitation', 'password_reset'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Single-use links sent by e-mail: invitations to an organisation and password resets. */
export const emailTokens = pgTable(
	'email_tokens',
	{
		id: text('id').primaryKey(), // SHA-256 of the token in the link
		purpose: text('purpose').$type<TokenPurpose>().notNull(),
		email: text('email').notNull(),
		userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
		organizationId: uuid('organization_id').references(() => organizationsKey.id, { onDelete: 'cascade' }),
		role: text('role'),
		createdBy: uuid('created_by'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('email_tokens_organization_idx').on(t.organizationId), check('email_tokens_purpose', sql`${t.purpose} in ('invitation','password_reset')`)]
);

/** Attempt counters for login and reset throttling, in rate-limiter-flexible's Postgres layout. */
export const authThrottle = pgTable('auth_throttle', {
	key: varchar('key', { length: 255 }).primaryKey(),
	points: integer('points').notNull().default(0),
	expire: bigint('expire', { mode: 'number' })
});
