import type { Locale } from '$lib/i18n';
import type { Actor } from '$lib/server/auth/actor';

declare global {
	namespace App {
		interface Locals {
			locale: Locale;
			largeText: boolean;
			/** Generated for every request; the audit log and the logs use this one. */
			requestId: string;
			/** The client's own x-request-id, only if short and plain (logged beside ours for correlation). */
			clientRequestId?: string;
			/** The signed-in person (second factor passed), or null. */
			actor: Actor | null;
			/** Client address and agent, for the audit log and throttling. */
			ip: string;
			userAgent: string;
			/** Set by the guard when it refuses a staff API request: hooks.server.ts answers it in JSON. */
			refusal?: { status: 401 | 403; code: string; message: string };
		}
		interface Error {
			message: string;
			requestId?: string;
		}
	}
}

export {};
