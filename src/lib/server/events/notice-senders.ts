/**
 * The channels a registrant is told by besides e-mail: LINE and SMS.
 *
 * LINE belongs to the consultations module (its channel, its push client), which itself asks this
 * module to link a registration when a code arrives on the webhook; so this module cannot import
 * it (no module cycle). The app wires the push in at start-up (`useLineForNotices`, runtime.ts):
 * until then, or when the channel is not configured, LINE is simply not offered.
 *
 * SMS: an `SmsSender` chosen by the environment. `SMS_PROVIDER=twilio` (TWILIO_ACCOUNT_SID,
 * TWILIO_AUTH_TOKEN, SMS_FROM; SMS_API_BASE to point it elsewhere) speaks the provider's plain
 * REST API with fetch, no SDK; `SMS_PROVIDER=fake` records messages in memory (tests, a demo).
 * Unset: no SMS, and phone registrants are listed to staff to be called.
 */
import { log } from '../log';

export interface SentResult {
	ok: boolean;
	detail: string;
}

/** Pushes text to a LINE user id; null when no LINE channel is configured. */
export interface LineNoticePusher {
	push(userId: string, texts: string[], retryKey: string): Promise<SentResult>;
}

let lineProvider: (() => LineNoticePusher | null) | null = null;

/** Wire LINE in (the app at start-up, a test with its fake); null takes it out again. */
export function useLineForNotices(provider: (() => LineNoticePusher | null) | null): void {
	lineProvider = provider;
}

export function linePusher(): LineNoticePusher | null {
	return lineProvider?.() ?? null;
}

export interface SmsSender {
	readonly provider: string;
	/** `to` in E.164 (+8190…); never throws. */
	send(to: string, text: string): Promise<SentResult>;
}

/** The recording fake: every message kept, in order (SMS_PROVIDER=fake). */
export interface RecordingSms extends SmsSender {
	readonly sent: Array<{ to: string; text: string }>;
	/** Make the next sends fail (a provider outage). */
	failing: boolean;
}

export function recordingSmsSender(): RecordingSms {
	const sender: RecordingSms = {
		provider: 'fake',
		sent: [],
		failing: false,
		async send(to, text) {
			if (sender.failing) return { ok: false, detail: 'fake_failure' };
			sender.sent.push({ to, text });
			return { ok: true, detail: 'recorded' };
		}
	};
	return sender;
}

const SEND_TIMEOUT_MS = 10_000;

function twilioSender(env: NodeJS.ProcessEnv): SmsSender | null {
	const sid = env.TWILIO_ACCOUNT_SID?.trim();
	const token = env.TWILIO_AUTH_TOKEN?.trim();
	const from = env.SMS_FROM?.trim();
	if (!sid || !token || !from) {
		log.error('sms_not_configured', { provider: 'twilio', missing: [!sid && 'TWILIO_ACCOUNT_SID', !token && 'TWILIO_AUTH_TOKEN', !from && 'SMS_FROM'].filter(Boolean).join(',') });
		return null;
	}
	const base = (env.SMS_API_BASE?.trim() || 'https://api.twilio.com').replace(/\/$/, '');
	return {
		provider: 'twilio',
		async send(to, text) {
			try {
				const response = await fetch(`${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
					method: 'POST',
					headers: { authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ To: to, From: from, Body: text }),
					signal: AbortSignal.timeout(SEND_TIMEOUT_MS)
				});
				return response.ok ? { ok: true, detail: 'accepted' } : { ok: false, detail: `http_${response.status}` };
			} catch (error) {
				return { ok: false, detail: (error as Error).name === 'TimeoutError' ? 'timeout' : 'network_error' };
			}
		}
	};
}

let fake: RecordingSms | null = null;
let override: SmsSender | null | undefined;

/** The configured SMS sender, or null for none. */
export function smsSender(env: NodeJS.ProcessEnv = process.env): SmsSender | null {
	if (override !== undefined) return override;
	const provider = env.SMS_PROVIDER?.trim().toLowerCase();
	if (!provider) return null;
	if (provider === 'fake') return (fake ??= recordingSmsSender());
	if (provider === 'twilio') return twilioSender(env);
	log.error('sms_unknown_provider', { provider });
	return null;
}

/** A test's sender (or null for none); undefined goes back to the environment's. */
export function useSmsSender(sender: SmsSender | null | undefined): void {
	override = sender;
}

/**
 * A Japanese mobile number (070/080/090, and 060) in E.164, or null: a landline cannot take an
 * SMS, so its holder is called instead.
 */
export function mobileNumberOf(phone: string): string | null {
	const digits = phone.normalize('NFKC').replace(/\D/g, '');
	const national = digits.startsWith('81') && digits.length === 12 ? `0${digits.slice(2)}` : digits;
	return /^0[6789]0\d{8}$/.test(national) ? `+81${national.slice(1)}` : null;
}
