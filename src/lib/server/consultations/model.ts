/**
 * What a person and a counsellor may send, as zod schemas shared by the form, the JSON API and the
 * OpenAPI document. Messages are bounded (they are sealed and shown back whole); control characters
 * are refused earlier, at the boundary (hooks.server.ts).
 */
import { z } from 'zod';
import { uuid } from '../boundary';

export const MESSAGE_MAX = 4000;
export const NICKNAME_MAX = 40;
export const CONTACT_MAX = 200;
export const NOTE_MAX = 4000;

/** Trimmed text; blank becomes undefined (an optional field left empty). */
const optionalText = (max: number, tooLong: string) =>
	z
		.string()
		.trim()
		.max(max, tooLong)
		.optional()
		.transform((v) => (v ? v : undefined));

/** A message, with what the person chose to tell about themselves: the web form, the API and a
 * counsellor's record of a phone or walk-in consultation read the same fields. */
export const personFields = {
	message: z.string().trim().min(1, 'consult.error.message').max(MESSAGE_MAX, 'consult.error.messageLong'),
	nickname: optionalText(NICKNAME_MAX, 'consult.error.nickname'),
	contact: optionalText(CONTACT_MAX, 'consult.error.contact')
};

/** A person's first message. */
export const consultationInput = z.object({ ...personFields, organizationId: uuid.optional() });
/** What `startConsultation` takes: the schema's output, optional fields left out when not given. */
export interface ConsultationInput {
	message: string;
	nickname?: string;
	contact?: string;
	organizationId?: string;
}

/** A later message: from the person on their thread, or a counsellor's answer. */
export const messageInput = z.object({ message: z.string().trim().min(1, 'consult.error.message').max(MESSAGE_MAX, 'consult.error.messageLong') });

export const noteInput = z.object({ note: z.string().trim().min(1, 'consult.error.note').max(NOTE_MAX, 'consult.error.noteLong') });
