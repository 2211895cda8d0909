/** What the LINE channel says by itself (Japanese, the catalogue's default): greeting, acknowledgement, hotlines. */
import { translate } from '$lib/i18n';
import { HOTLINES, type Hotline } from '../hotlines';

const line = (h: Hotline) => `・${h.name} ${h.number}(${h.hours})`;

/** Follow: what this channel is, and where to call at once. */
export function greetingTexts(): string[] {
	const emergency = HOTLINES.filter((h) => h.audience === 'emergency').map((h) => h.number);
	const first = HOTLINES.find((h) => h.audience === 'everyone');
	return [translate('ja', 'consult.line.greeting', { app: translate('ja', 'app.name') }), translate('ja', 'consult.line.greetingHotline', { emergency: emergency.join('・'), name: first?.name ?? '', number: first?.number ?? '', hours: first?.hours ?? '' })];
}

/** A text message: the hotlines at once when triage matched, else that a counsellor will answer. */
export function answerTexts(hotlines: Hotline[]): string[] {
	if (hotlines.length === 0) return [translate('ja', 'consult.line.received')];
	return [`${translate('ja', 'consult.line.urgent')}\n${hotlines.map(line).join('\n')}`, translate('ja', 'consult.line.urgentAfter')];
}

/** Anything but text (a sticker, a photo): asked for words, nothing stored. */
export function textOnlyTexts(): string[] {
	return [translate('ja', 'consult.line.textOnly')];
}
