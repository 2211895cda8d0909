import type { RequestHandler } from './$types';
import { residentScope } from '$lib/server/auth/guard';
import { lineChannel, receiveLineDelivery, signedByLine } from '$lib/server/consultations';
import { issueDetails, parseHeaders, refuse, respond } from '$lib/server/api/respond';
import { receiveLineWebhook as contract } from '$lib/server/api/contracts';
import { log } from '$lib/server/log';

/**
 * LINE's webhook: the raw body's signature (X-Line-Signature) checked against the channel secret,
 * then each event processed once; 200 as soon as the events are stored (what goes back to the
 * person is sent after the answer). No channel configured: 404, as if there were no such address.
 */
export const POST: RequestHandler = async (event) => {
	const channel = lineChannel();
	if (!channel) return refuse(contract, 404, 'not_found', 'No LINE channel is configured.');
	const raw = await event.request.text();
	const headers = parseHeaders(contract.headers, event.request.headers);
	if (!headers.success || !signedByLine(channel, raw, headers.data['X-Line-Signature'])) return refuse(contract, 401, 'invalid_signature', 'X-Line-Signature does not match the body.');
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		return refuse(contract, 400, 'invalid_body', 'The body is not JSON.');
	}
	const parsed = contract.body.safeParse(body);
	if (!parsed.success) return refuse(contract, 400, 'invalid_body', 'Not a LINE webhook delivery.', issueDetails(parsed.error.issues));
	const received = await receiveLineDelivery(residentScope(event), channel, parsed.data);
	// LINE redelivers what was not answered with 200: the refused event is not kept, so it comes again.
	if (!received.ok) return refuse(contract, 503, received.reason, 'The network has no consultation window yet.');
	received.value.sent.catch((error) => log.error('line_send_crashed', { message: (error as Error).message }));
	return respond(contract, 200, { processed: received.value.processed, duplicates: received.value.duplicates }, { 'cache-control': 'no-store' });
};
