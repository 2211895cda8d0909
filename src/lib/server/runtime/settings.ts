/**
 * The platform's settings read from the environment once, at start-up, so a mistyped value stops
 * the start rather than a timer hours later. Each module keeps the reader of its own setting
 * (e.g. consultations' CONSULTATION_RETENTION_DAYS); the two here belong to the runtime itself.
 */
import path from 'node:path';
import { consultationRetentionDays } from '../consultations';
import { registrationRetentionDays } from '../events';
import { referralAcceptDays, referralContactDays } from '../referrals';

/** OPENDATA_EXPORT_QUIET_SECONDS: how long published data must stay unchanged before the bulk files are made again (default 10). */
export function exportQuietMs(env: NodeJS.ProcessEnv = process.env): number {
	return seconds(env, 'OPENDATA_EXPORT_QUIET_SECONDS', 10, (s) => s >= 0, 'a number of seconds') * 1000;
}

/** REMINDER_INTERVAL_SECONDS: how often due reminders are looked for (default every 15 minutes). */
export function reminderIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
	return seconds(env, 'REMINDER_INTERVAL_SECONDS', 15 * 60, (s) => s > 0, 'a positive number of seconds') * 1000;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number, valid: (s: number) => boolean, expected: string): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || !valid(value)) throw new Error(`${name} must be ${expected}, not "${raw}"`);
	return value;
}

export interface PlatformSettings {
	database: { databaseUrl?: string; appUrl?: string; dataDir: string; poolSize: number };
	reminderIntervalMs: number;
	exportQuietMs: number;
	consultationRetentionDays: number;
	registrationRetentionDays: number;
	referralDays: { acceptDays: number; contactDays: number };
}

export function platformSettings(env: NodeJS.ProcessEnv): PlatformSettings {
	return {
		database: {
			databaseUrl: env.DATABASE_URL || undefined,
			appUrl: env.DATABASE_APP_URL || undefined,
			dataDir: path.resolve(env.DATA_DIR || 'data'),
			poolSize: Number(env.DATABASE_POOL_SIZE || 10)
		},
		reminderIntervalMs: reminderIntervalMs(env),
		exportQuietMs: exportQuietMs(env),
		consultationRetentionDays: consultationRetentionDays(env),
		registrationRetentionDays: registrationRetentionDays(env),
		referralDays: { acceptDays: referralAcceptDays(env), contactDays: referralContactDays(env) }
	};
}
