/**
 * Drafting help: a counsellor asks for a draft answer, which the server gets from an
 * OpenAI-compatible endpoint (`POST {LLM_API_BASE}/chat/completions`) and puts into the reply box
 * for the counsellor to read, change and send — or not. Nothing here sends anything to the person.
 *
 * Off unless both are true: the endpoint is configured (`LLM_API_BASE`, `LLM_MODEL`, and
 * `LLM_API_KEY` when the provider wants one) and the organisation switched drafting on
 * (`consultation_settings.draft_assist`, the replies page). Refused for an urgent thread: a person
 * in crisis is answered by a counsellor's own words (and the button is not shown).
 *
 * What goes to the endpoint (docs/consultation-replies.md): a fixed system prompt, and the thread's
 * messages from the person and the counsellors, in order — never internal notes, the nickname, the
 * contact, tags, the system's automatic messages, or any id. Each request is audited
 * (`consultation.draft`, no content), before it is made: the conversation leaves the platform then.
 * Plain `fetch` (Node's global), no SDK: one JSON request whose answer is checked by zod.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit';
import { log } from '../log';
import { ok, refused, runIn, type OrganizationScope, type Result } from '../scope';
import { messagesOf, THREAD_ENTITY } from './intake';
import { consultationSettings, consultationThreads } from './schema';
import { MESSAGE_MAX } from './model';

export interface LlmEndpoint {
	/** The API's base, e.g. `https://llm.example/v1` (no trailing slash). */
	base: string;
	model: string;
	key: string | null;
	timeoutMs: number;
}

/** How long a counsellor waits for a draft before being told it did not come. */
export const DRAFT_TIMEOUT_MS = 20_000;
/** The longest conversation sent: the latest messages, within this many characters. */
export const DRAFT_CONTEXT_CHARS = 12_000;

/** The configured endpoint, or null (no drafting anywhere). */
export function llmEndpoint(env: NodeJS.ProcessEnv = process.env): LlmEndpoint | null {
	const base = env.LLM_API_BASE?.trim().replace(/\/+$/, '');
	const model = env.LLM_MODEL?.trim();
	if (!base || !model || !/^https?:\/\//.test(base)) return null;
	return { base, model, key: env.LLM_API_KEY?.trim() || null, timeoutMs: DRAFT_TIMEOUT_MS };
}

export const DRAFT_SYSTEM_PROMPT = [
	'あなたは、地域の相談窓口で働く相談員の返信の下書きを手伝います。下書きは相談員が読んで直してから送ります。',
	'相談者に向けた返信の本文だけを、やさしい日本語で、短め(300字程度まで)に書いてください。',
	'まず気持ちを受けとめ、話してくれたことへの感謝を伝え、次に何ができるかを一緒に考える姿勢で書いてください。',
	'診断や医学的・法的な判断はしないでください。約束できないこと(必ず解決する、いつまでに何をする等)は書かないでください。',
	'命や安全にかかわる心配があるときは、110番・119番や、こころの健康相談統一ダイヤル(0570-064-556)などの電話窓口を案内してください。',
	'相談者の名前や連絡先をたずねたり、推測したりしないでください。'
].join('\n');

export type DraftRefusal = 'no_endpoint' | 'off' | 'not_found' | 'urgent' | 'empty' | 'timeout' | 'failed';

/** May drafts be asked for in this organisation (endpoint configured and the toggle on)? */
export async function draftingOn(scope: OrganizationScope, endpoint: LlmEndpoint | null = llmEndpoint()): Promise<boolean> {
	if (!endpoint) return false;
	return runIn(scope, async (tx) => {
		const [row] = await tx.select({ on: consultationSettings.draftAssist }).from(consultationSettings).where(eq(consultationSettings.organizationId, scope.organizationId));
		return row?.on ?? false;
	});
}

type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** The person's words as `user`, the counsellors' as `assistant`; the latest ones within DRAFT_CONTEXT_CHARS. */
export function draftPrompt(messages: { author: string; body: string }[]): ChatMessage[] {
	const turns: ChatMessage[] = [];
	let chars = 0;
	for (const m of [...messages].reverse()) {
		if (m.author !== 'person' && m.author !== 'counsellor') continue;
		if (chars + m.body.length > DRAFT_CONTEXT_CHARS && turns.length > 0) break;
		chars += m.body.length;
		turns.unshift({ role: m.author === 'person' ? 'user' : 'assistant', content: m.body });
	}
	return [{ role: 'system', content: DRAFT_SYSTEM_PROMPT }, ...turns];
}

const completion = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1) });

/**
 * A draft answer for a thread: checked (own thread — another's is not found whatever else —, not
 * urgent, endpoint configured, toggle on), audited, then
 * asked of the endpoint within its timeout. Never stored, never sent.
 */
export async function draftReply(scope: OrganizationScope, input: { threadId: string }, endpoint: LlmEndpoint | null = llmEndpoint()): Promise<Result<{ text: string }, DraftRefusal>> {
	const asked = await runIn(scope, async (tx): Promise<Result<{ prompt: ChatMessage[]; endpoint: LlmEndpoint }, DraftRefusal>> => {
		const [thread] = await tx
			.select({ id: consultationThreads.id, organizationId: consultationThreads.organizationId, urgent: consultationThreads.urgent })
			.from(consultationThreads)
			.where(and(eq(consultationThreads.id, input.threadId), eq(consultationThreads.organizationId, scope.organizationId)));
		if (!thread) return refused('not_found');
		if (thread.urgent) return refused('urgent');
		if (!endpoint) return refused('no_endpoint');
		const [setting] = await tx.select({ on: consultationSettings.draftAssist }).from(consultationSettings).where(eq(consultationSettings.organizationId, scope.organizationId));
		if (!setting?.on) return refused('off');
		const prompt = draftPrompt(await messagesOf(tx, thread));
		if (prompt.length < 2) return refused('empty');
		await recordAudit(tx, scope.origin, { action: 'consultation.draft', organizationId: scope.organizationId, entityType: THREAD_ENTITY, entityId: thread.id });
		return ok({ prompt, endpoint });
	});
	if (!asked.ok) return asked;
	const { prompt, endpoint: target } = asked.value;
	try {
		const response = await fetch(`${target.base}/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json', ...(target.key ? { authorization: `Bearer ${target.key}` } : {}) },
			body: JSON.stringify({ model: target.model, messages: prompt, temperature: 0.3, max_tokens: 800, stream: false }),
			signal: AbortSignal.timeout(target.timeoutMs)
		});
		if (!response.ok) {
			log.warn('draft_failed', { status: response.status, threadId: input.threadId });
			return refused('failed');
		}
		const parsed = completion.safeParse(await response.json());
		const text = parsed.success ? (parsed.data.choices[0].message.content ?? '').trim() : '';
		if (!text) {
			log.warn('draft_failed', { status: 'unreadable', threadId: input.threadId });
			return refused('failed');
		}
		return ok({ text: text.slice(0, MESSAGE_MAX) });
	} catch (error) {
		const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
		log.warn('draft_failed', { status: timeout ? 'timeout' : 'network_error', threadId: input.threadId });
		return refused(timeout ? 'timeout' : 'failed');
	}
}
