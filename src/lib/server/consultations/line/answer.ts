/**
 * A counsellor's answer on a LINE thread goes to the person by push (the reply token of their
 * message is long gone). Who to push to is read in the counsellor's organisation's context (the
 * person is served by it; row-level security shows no one else's).
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../scope';
import { linePeople } from '../schema';
import { lineChannel, sendToLine, type Sent } from './channel';
import { lineUserIdOf } from './people';

export type LineRecipient = { userId: string } | { unreachable: 'unfollowed' | 'no_person' };

export async function lineRecipient(tx: Tx<'organization'>, linePersonId: string | null): Promise<LineRecipient> {
	if (!linePersonId) return { unreachable: 'no_person' };
	const [person] = await tx.select().from(linePeople).where(eq(linePeople.id, linePersonId));
	if (!person) return { unreachable: 'no_person' };
	if (!person.following) return { unreachable: 'unfollowed' };
	return { userId: await lineUserIdOf(tx, person) };
}

/** Push one answer; a person who unfollowed, or no channel configured, is a failure that says why. */
export async function pushAnswer(recipient: LineRecipient, text: string, retryKey: string): Promise<Sent> {
	if ('unreachable' in recipient) return { ok: false, detail: recipient.unreachable };
	const channel = lineChannel();
	if (!channel) return { ok: false, detail: 'no_channel' };
	return sendToLine(channel, { userId: recipient.userId }, [text], retryKey);
}

/**
 * Pushes for another module's notices (events: telling registrants of a cancelled date), wired in
 * at start-up; null while no channel is configured.
 */
export function linePushForNotices(): { push(userId: string, texts: string[], retryKey: string): Promise<Sent> } | null {
	const channel = lineChannel();
	return channel ? { push: (userId, texts, retryKey) => sendToLine(channel, { userId }, texts, retryKey) } : null;
}
