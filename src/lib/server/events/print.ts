/**
 * Paper for schools and pantries: an A4 flyer per program and an A4 month of the calendar, as
 * PDF with Noto Sans JP (embedded as a subset by pdfkit) and a QR code to the program page.
 * pdfkit because it lays out text with line breaking and embeds OpenType subsets; the font comes
 * from @embedpdf/fonts-jp (the full Noto Sans JP, OFL) so nothing depends on system fonts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

const require = createRequire(import.meta.url);
// The package exports only its index (dist/); the font files sit beside it in fonts/.
const fontDir = path.join(path.dirname(require.resolve('@embedpdf/fonts-jp')), '..', 'fonts');
export const FONT_REGULAR = path.join(fontDir, 'NotoSansJP-Regular.otf');
export const FONT_BOLD = path.join(fontDir, 'NotoSansJP-Bold.otf');

/** The two font files (9 MB), read on the first PDF and kept: pdfkit would read them for every document. */
let fontFiles: { regular: Buffer; bold: Buffer } | undefined;
const fonts = () => (fontFiles ??= { regular: readFileSync(FONT_REGULAR), bold: readFileSync(FONT_BOLD) });

/** How many recently made PDFs are kept (a flyer is some 50–200 KB). */
const RECENT_PDFS = 32;
const recentPdfs = new Map<string, Promise<Buffer>>();

/**
 * A PDF made from this very input a moment ago is served again rather than laid out and subset
 * anew: each costs a few hundred milliseconds of CPU, the flyer is public, and the same one is
 * asked for again and again (a printer's retries, a link passed around, several people at once —
 * they share the one being made). The key is everything the PDF shows, so a changed program or a
 * new date makes a new PDF; only the least recently asked ones are dropped.
 */
function remembered<T>(kind: string, input: T, make: (input: T) => Promise<Buffer>): Promise<Buffer> {
	const key = `${kind}:${createHash('sha256').update(JSON.stringify(input)).digest('base64url')}`;
	const kept = recentPdfs.get(key);
	if (kept) {
		recentPdfs.delete(key);
		recentPdfs.set(key, kept);
		return kept;
	}
	const made = make(input);
	recentPdfs.set(key, made);
	made.catch(() => recentPdfs.delete(key));
	if (recentPdfs.size > RECENT_PDFS) recentPdfs.delete(recentPdfs.keys().next().value!);
	return made;
}

function toBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
		doc.end();
	});
}

function newDocument(layout: 'portrait' | 'landscape', title: string) {
	const doc = new PDFDocument({ size: 'A4', layout, margin: 48, info: { Title: title, Producer: 'tsunagu', Creator: 'tsunagu' }, lang: 'ja-JP' } as PDFKit.PDFDocumentOptions);
	doc.registerFont('ja', fonts().regular);
	doc.registerFont('ja-bold', fonts().bold);
	doc.font('ja');
	return doc;
}

export interface FlyerInput {
	title: string;
	organization: string;
	summary: string;
	forWhom: string[];
	schedule: string[];
	dates: Array<{ text: string; cancelled: boolean }>;
	place: string | null;
	cost: string;
	join: string;
	contact: string[];
	url: string;
	labels: { when: string; next: string; cancelled: string; where: string; cost: string; join: string; contact: string; forWhom: string; scan: string };
}

/** An A4 portrait flyer. */
export function flyerPdf(input: FlyerInput): Promise<Buffer> {
	return remembered('flyer', input, makeFlyer);
}

async function makeFlyer(input: FlyerInput): Promise<Buffer> {
	const doc = newDocument('portrait', input.title);
	const width = doc.page.width - 96;
	doc.font('ja-bold').fontSize(26).fillColor('#0b6e4f').text(input.title, { width });
	doc.moveDown(0.2).font('ja').fontSize(12).fillColor('#333').text(input.organization, { width });
	doc.moveDown(0.8).fontSize(14).fillColor('#000').text(input.summary, { width });
	const section = (heading: string, lines: string[]) => {
		if (!lines.length) return;
		doc.moveDown(0.8).font('ja-bold').fontSize(13).fillColor('#0b6e4f').text(heading, { width });
		doc.font('ja').fontSize(12).fillColor('#000');
		for (const line of lines) doc.text(line, { width: width - 170 });
	};
	section(input.labels.forWhom, input.forWhom.length ? [input.forWhom.join('・')] : []);
	section(input.labels.when, input.schedule);
	section(
		input.labels.next,
		input.dates.map((d) => (d.cancelled ? `${d.text}(${input.labels.cancelled})` : d.text))
	);
	section(input.labels.where, input.place ? [input.place] : []);
	section(input.labels.cost, [input.cost]);
	section(input.labels.join, [input.join]);
	section(input.labels.contact, input.contact);
	// Footer items sit inside the bottom margin: without this pdfkit would start a new page.
	doc.page.margins.bottom = 0;
	// The QR code, bottom right, drawn as vector squares: sharp at any printer resolution.
	const qr = QRCode.create(input.url, { errorCorrectionLevel: 'M' });
	const size = 140;
	const cell = size / qr.modules.size;
	const x0 = doc.page.width - 48 - size;
	const y0 = doc.page.height - 48 - size - 30;
	for (let y = 0; y < qr.modules.size; y++) for (let x = 0; x < qr.modules.size; x++) if (qr.modules.get(x, y)) doc.rect(x0 + x * cell, y0 + y * cell, cell, cell);
	doc.fill('#000');
	doc.fontSize(9).text(input.labels.scan, x0 - 20, y0 + size + 6, { width: size + 40, align: 'center' });
	doc
		.fontSize(8)
		.fillColor('#333')
		.text(input.url, 48, doc.page.height - 48 - 12, { width: x0 - 60, lineBreak: false });
	return toBuffer(doc);
}

export interface MonthInput {
	title: string;
	/** Monday-first weeks of days: { day: 'YYYY-MM-DD', inMonth, entries }. */
	weeks: Array<Array<{ day: string; inMonth: boolean; entries: Array<{ time: string; title: string; cancelled: boolean }> }>>;
	weekdays: string[];
	cancelled: string;
	footer: string;
	/** Said under the title, as on the web page: e.g. that dates past the horizon are not listed yet. */
	notice?: string | null;
}

/** An A4 landscape month grid; a day with more than fits says how many more. */
export function monthPdf(input: MonthInput): Promise<Buffer> {
	return remembered('month', input, makeMonth);
}

async function makeMonth(input: MonthInput): Promise<Buffer> {
	const doc = newDocument('landscape', input.title);
	doc.page.margins.bottom = 0; // the grid is placed by hand and must stay on one page
	doc.font('ja-bold').fontSize(18).text(input.title, 36, 30);
	if (input.notice)
		doc
			.font('ja')
			.fontSize(10)
			.text(input.notice, 36, 36, { width: doc.page.width - 72, align: 'right', lineBreak: false });
	const left = 36;
	const top = 62;
	const colWidth = (doc.page.width - 72) / 7;
	const rowHeight = (doc.page.height - top - 50) / input.weeks.length;
	doc.font('ja').fontSize(9);
	input.weekdays.forEach((w, i) => doc.text(w, left + i * colWidth, top - 14, { width: colWidth, align: 'center' }));
	input.weeks.forEach((week, r) =>
		week.forEach((d, c) => {
			const x = left + c * colWidth;
			const y = top + r * rowHeight;
			doc
				.rect(x, y, colWidth, rowHeight)
				.lineWidth(0.5)
				.stroke(d.inMonth ? '#888' : '#ccc');
			doc
				.fillColor(d.inMonth ? '#000' : '#999')
				.font('ja-bold')
				.fontSize(9)
				.text(String(Number(d.day.slice(8))), x + 3, y + 2, { width: colWidth - 6 });
			doc.font('ja').fontSize(7);
			const lines = Math.max(1, Math.floor((rowHeight - 16) / 9));
			const shown = d.entries.slice(0, d.entries.length > lines ? lines - 1 : lines);
			shown.forEach((e, i) => doc.fillColor(e.cancelled ? '#999' : '#000').text(`${e.time} ${e.title}${e.cancelled ? `(${input.cancelled})` : ''}`, x + 3, y + 14 + i * 9, { width: colWidth - 6, height: 9, lineBreak: false, ellipsis: true }));
			if (shown.length < d.entries.length) doc.fillColor('#000').text(`+${d.entries.length - shown.length}`, x + 3, y + 14 + shown.length * 9, { width: colWidth - 6 });
		})
	);
	doc.page.margins.bottom = 0;
	doc
		.fillColor('#333')
		.fontSize(8)
		.text(input.footer, 36, doc.page.height - 36, { lineBreak: false });
	return toBuffer(doc);
}
