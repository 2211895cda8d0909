/**
 * A counsellor links LINE by sending the official account the one-time code made on the rota page
 * (rota.ts). The webhook asks here first: a code-shaped text is no consultation — it links (or is
 * answered as not usable) and nothing of it becomes a thread.
 */
import { translate } from '$lib/i18n';
import type { AuditOrigin } from '../../audit';
import type { Tx } from '../../scope';
import { linkLineByCode } from '../rota';
import { linkRegistrationLine } from '../../events';

/** The answer to a link code (`base` with the texts to send back), or null when the text is no link code. */
export async function answerLinkCode<B extends { userId: string }>(tx: Tx<'system'>, origin: AuditOrigin, base: B, text: string): Promise<(B & { texts: string[] }) | null> {
	const linked = await linkLineByCode(tx, origin, text, base.userId);
	if (!linked) return null;
	return { ...base, texts: [translate('ja', linked === 'linked' ? 'consult.line.linked' : 'consult.line.linkUnknown', { app: translate('ja', 'app.name') })] };
}

/** The answer to a registrant's code (events: notices about their date by LINE), or null when the text is no such code. */
export async function answerRegistrationCode<B extends { userId: string }>(tx: Tx<'system'>, origin: AuditOrigin, base: B, text: string): Promise<(B & { texts: string[] }) | null> {
	const linked = await linkRegistrationLine(tx, origin, text, base.userId);
	return linked ? { ...base, texts: [linked.reply] } : null;
}
