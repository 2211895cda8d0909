import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { residentScope } from '$lib/server/auth/guard';
import { lineCallbackSchema, lineChannel, receiveLineDelivery, signedByLine } from '$lib/server/consultations';
import { apiError, issueDetails } from '$lib/server/api/respond';
import { log } from '$lib/server/log';
import type { ApiOf, LineWebhookReceived } from '$lib/server/api/schemas';

/**
 * LINE's webhook: the raw body's signature (X-Line-Signature) checked against the channel secret,
 * then each event processed once; 200 as soon as the events are stored (what goes back to the
 * person is sent after the answer). No channel configured: 404, as if there were no such address.
 */
export const POST: RequestHandler = async (event) => {
	const channel = lineChannel();
	if (!channel) return apiError(404, 'not_found', 'No LINE channel is configured.');
	const raw = await event.request.text();
	if (!signedByLine(channel, raw, event.request.headers.get('x-line-signature'))) return apiError(401, 'invalid_signature', 'X-Line-Signature does not match the body.');
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		return apiError(400, 'invalid_body', 'The body is not JSON.');
	}
	const parsed = lineCallbackSchema.safeParse(body);
	if (!parsed.success) return apiError(400, 'invalid_body', 'Not a LINE webhook delivery.', issueDetails(parsed.error.issues));
	const received = await receiveLineDelivery(residentScope(event), channel, parsed.data);
	// LINE redelivers what was not answered with 200: the refused event is not kept, so it comes again.
	if (!received.ok) return apiError(503, received.reason, 'The network has no consultation window yet.');
	received.value.sent.catch((error) => log.error('line_send_crashed', { message: (error as Error).message }));
	const answer: ApiOf<typeof LineWebhookReceived> = { processed: received.value.processed, duplicates: received.value.duplicates };
	return json(answer, { headers: { 'cache-control': 'no-store' } });
};
