/**
 * Outgoing e-mail: over SMTP when SMTP_URL is set (nodemailer), otherwise into a local outbox
 * folder as .eml files, so invitations and resets work on a fresh machine. In development the
 * outbox is also shown at /dev/outbox.
 */
import nodemailer from 'nodemailer';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { log } from './log';

export interface Mail {
	to: string;
	subject: string;
	text: string;
}

export function outboxDir(env: NodeJS.ProcessEnv = process.env): string {
	return path.resolve(env.OUTBOX_DIR || path.join(env.DATA_DIR || 'data', 'outbox'));
}

const from = () => process.env.MAIL_FROM || 'つなぐ <no-reply@tsunagu.invalid>';

let smtp: ReturnType<typeof nodemailer.createTransport> | undefined;
const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

export async function sendMail(mail: Mail): Promise<void> {
	const message = { from: from(), to: mail.to, subject: mail.subject, text: mail.text };
	if (process.env.SMTP_URL) {
		smtp ??= nodemailer.createTransport(process.env.SMTP_URL);
		await smtp.sendMail(message);
		log.info('mail_sent', { subject: mail.subject });
		return;
	}
	const { message: eml } = await composer.sendMail(message);
	const dir = outboxDir();
	// Only the outbox is private: a recursive mkdir would make the folders above it 0700 too, and
	// the embedded server (run as `postgres` when the app runs as root) could not reach data/pg.
	mkdirSync(path.dirname(dir), { recursive: true });
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
	// Write then rename, so a reader never sees half a message.
	writeFileSync(path.join(dir, `.${name}`), eml as Buffer, { mode: 0o600 });
	renameSync(path.join(dir, `.${name}`), path.join(dir, name));
	log.info('mail_written_to_outbox', { file: name, subject: mail.subject });
}

/**
 * Send without making the caller wait: answers then take the same time whether or not a message
 * went out (no account enumeration through timing).
 */
export function sendMailInBackground(mail: Mail): void {
	sendMail(mail).catch((error) => log.error('mail_failed', { message: (error as Error).message }));
}

export interface OutboxMessage {
	file: string;
	to: string;
	subject: string;
	date: string;
	text: string;
}

/** The newest messages in the outbox, decoded for the development page and the tests. */
export function readOutbox(limit = 50, dir = outboxDir()): OutboxMessage[] {
	let files: string[];
	try {
		files = readdirSync(dir).filter((f) => f.endsWith('.eml') && !f.startsWith('.'));
	} catch {
		return [];
	}
	return files
		.sort()
		.reverse()
		.slice(0, limit)
		.map((file) => ({ file, ...parseEml(readFileSync(path.join(dir, file), 'utf8')) }));
}

/** Just enough MIME for the messages composed above (one text part, quoted-printable or base64). */
export function parseEml(eml: string): Omit<OutboxMessage, 'file'> {
	const split = eml.indexOf('\n\n');
	const head = eml.slice(0, split).replace(/\n[ \t]+/g, ' ');
	const body = eml.slice(split + 2);
	const header = (name: string) => head.match(new RegExp(`^${name}: (.*)$`, 'mi'))?.[1] ?? '';
	const decodeWords = (value: string) => value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) => (enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' '))));
	const encoding = header('Content-Transfer-Encoding').toLowerCase();
	const text = encoding === 'base64' ? Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8') : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : body;
	return { to: decodeWords(header('To')), subject: decodeWords(header('Subject')), date: header('Date'), text: text.trimEnd() };
}

function decodeQuotedPrintable(value: string): string {
	const bytes = value.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	return Buffer.from(bytes, 'latin1').toString('utf8');
}
