/**
 * The network's LINE official account, from the environment: `LINE_CHANNEL_SECRET` (signs the
 * webhook's deliveries), `LINE_CHANNEL_ACCESS_TOKEN` (sends), and `LINE_API_BASE` (the Messaging
 * API's address: a local fake for tests and for anyone without a channel). No secret or no token:
 * no channel, and the webhook answers 404.
 */
import { messagingApi, validateSignature, HTTPFetchError } from '@line/bot-sdk';

export interface LineChannel {
	readonly secret: string;
	readonly client: messagingApi.MessagingApiClient;
}

let cached: { key: string; channel: LineChannel } | null = null;

export function lineChannel(env: NodeJS.ProcessEnv = process.env): LineChannel | null {
	const secret = env.LINE_CHANNEL_SECRET?.trim();
	const token = env.LINE_CHANNEL_ACCESS_TOKEN?.trim();
	if (!secret || !token) return null;
	const baseURL = env.LINE_API_BASE?.trim() || undefined;
	const key = `${secret}\u0000${token}\u0000${baseURL ?? ''}`;
	if (cached?.key !== key) cached = { key, channel: { secret, client: new messagingApi.MessagingApiClient({ channelAccessToken: token, baseURL }) } };
	return cached.channel;
}

/**
 * Where a resident finds the official account: `LINE_ACCOUNT_ID`, its basic ID (「@」 and up to
 * 30 letters, digits, `.`, `_` or `-`), e.g. `@tsunagu`. With it a page can open the chat with a
 * text already typed (LINE URL scheme `oaMessage`: the add-friend screen first for a new friend) or
 * show the add-friend page (`ti/p`, a QR code on a computer). Without it, or malformed: no links,
 * the page tells the resident to send the code in words only.
 */
export interface LineAccount {
	readonly id: string;
	readonly friendUrl: string;
	messageUrl(text: string): string;
}

const BASIC_ID = /^@[0-9a-z._-]{1,30}$/i;

export function lineAccount(env: NodeJS.ProcessEnv = process.env): LineAccount | null {
	const id = env.LINE_ACCOUNT_ID?.trim();
	if (!id || !BASIC_ID.test(id)) return null;
	const path = encodeURIComponent(id);
	return { id, friendUrl: `https://line.me/R/ti/p/${path}`, messageUrl: (text) => `https://line.me/R/oaMessage/${path}/?${encodeURIComponent(text)}` };
}

/** Is this raw body signed with the channel's secret (X-Line-Signature: base64 HMAC-SHA256)? */
export function signedByLine(channel: LineChannel, rawBody: string, signature: string | null): boolean {
	if (!signature) return false;
	try {
		return validateSignature(rawBody, channel.secret, signature);
	} catch {
		return false;
	}
}

/** LINE reply tokens are single-use and expire about a minute after the event; keep a margin. */
export const REPLY_WINDOW_MS = 50_000;

export type Sent = { ok: true; via: 'reply' | 'push'; detail: string } | { ok: false; detail: string };

/** The Messaging API's answer, or `timeout` when it does not come within SEND_TIMEOUT_MS. */
export const SEND_TIMEOUT_MS = 10_000;

const failure = (error: unknown): string => (error instanceof HTTPFetchError ? `http_${error.status}` : error instanceof SendTimeout ? 'timeout' : 'network_error');

class SendTimeout extends Error {}

function withinTime<T>(promise: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new SendTimeout('timeout')), SEND_TIMEOUT_MS)));
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Send text messages to one LINE person: with the event's reply token while it is still valid
 * (`replyToken` and the event's `timestamp`), else — or when the reply is refused — by push, with
 * a retry key so LINE sends a retried push only once. Never throws.
 */
export async function sendToLine(channel: LineChannel, to: { userId: string; replyToken?: string; eventTimestamp?: number }, texts: string[], retryKey: string, now: number = Date.now()): Promise<Sent> {
	const messages = texts.slice(0, 5).map((text) => ({ type: 'text' as const, text: text.slice(0, 5000) }));
	if (to.replyToken && to.eventTimestamp !== undefined && now - to.eventTimestamp < REPLY_WINDOW_MS) {
		try {
			await withinTime(channel.client.replyMessage({ replyToken: to.replyToken, messages }));
			return { ok: true, via: 'reply', detail: 'reply' };
		} catch {
			// An expired or used token: push instead.
		}
	}
	try {
		await withinTime(channel.client.pushMessage({ to: to.userId, messages }, retryKey));
		return { ok: true, via: 'push', detail: 'push' };
	} catch (error) {
		// 409: a push with this retry key was already accepted.
		if (error instanceof HTTPFetchError && error.status === 409) return { ok: true, via: 'push', detail: 'push' };
		return { ok: false, detail: failure(error) };
	}
}
