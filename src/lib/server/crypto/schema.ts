/**
 * Data keys for envelope encryption. Each data key is stored wrapped (AES-256-GCM) by a master
 * key that never enters the database; every encrypted value names the data key it was sealed with.
 */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const encryptionKeys = pgTable('encryption_keys', {
	id: text('id').primaryKey(),
	wrappedKey: text('wrapped_key').notNull(), // base64url(iv | tag | ciphertext)
	masterKeyId: text('master_key_id').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	retiredAt: timestamp('retired_at', { withTimezone: true }) // null: the key new values are sealed with
});
