/**
 * The directory in the import's own columns: the secretariat's whole region, or one organisation's
 * places and programs, as .xlsx or as CSV (UTF-8 with a BOM, or Shift_JIS for older tools), so
 * that export → import changes nothing. A program at several places is written with its first
 * (an import that names one of its places keeps them all). Every export is audited.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { csvCell, recordAudit } from '../audit';
import { allOrganizations, locationsOf, organizationForStaff, programForStaff, programsOf, type DirectoryTx } from '../directory';
import { runIn, type Result, ok, refused } from '../scope';
import { IMPORT_ONLY, KIND_FIELDS, TITLES, type Field } from './columns';
import type { ImportScope } from './imports';
import { importKinds } from './imports';
import type { ImportKind } from './schema';
import { schedulesText } from './schedule-text';
import { costText, formsText, joinMethodText, legalFormText, targetText } from './values';

export type ExportFormat = 'xlsx' | 'csv' | 'csv-sjis';

/**
 * Characters Shift_JIS as Windows writes it (CP932) holds only in its own form: 〜 would otherwise
 * become 「?」 (「10時?12時」). Written in the Windows form, they read back as that form; the page
 * says so, and .xlsx or UTF-8 keep every character as it is.
 */
const WINDOWS_FORMS: Record<string, string> = { '\u301c': '\uff5e', '\u2212': '\uff0d', '\u2016': '\u2225', '\u00a2': '\uffe0', '\u00a3': '\uffe1', '\u00ac': '\uffe2', '\u2014': '\u2015' };
const toWindows = (text: string) => text.replace(/[\u301c\u2212\u2016\u00a2\u00a3\u00ac\u2014]/g, (c) => WINDOWS_FORMS[c]);

const address = (...parts: Array<string | null>) => parts.filter(Boolean).join('');

async function rowsOf(tx: DirectoryTx, kind: ImportKind, organizationIds: string[]): Promise<Array<Partial<Record<Field, string>>>> {
	const out: Array<Partial<Record<Field, string>>> = [];
	for (const id of organizationIds) {
		const org = await organizationForStaff(tx, id);
		if (!org) continue;
		if (kind === 'organizations') {
			out.push({
				organizationName: org.name,
				nameKana: org.nameKana ?? '',
				legalForm: legalFormText(org.legalForm),
				representative: org.representative ?? '',
				address: address(org.prefecture, org.city, org.addressLine),
				postalCode: org.postalCode ?? '',
				url: org.website ?? '',
				message: org.message ?? '',
				description: org.description
			});
			continue;
		}
		const places = await locationsOf(tx, id);
		if (kind === 'places') {
			for (const p of places) out.push({ organizationName: org.name, placeName: p.name, address: address(p.prefecture, p.city, p.addressLine), postalCode: p.postalCode ?? '', accessibility: p.accessibility ?? '', transport: p.transport ?? '' });
			continue;
		}
		for (const listed of await programsOf(tx, id)) {
			const program = await programForStaff(tx, id, listed.id);
			if (!program) continue;
			const p = program.input;
			const place = places.find((l) => l.id === program.locationIds[0]);
			out.push({
				organizationName: org.name,
				title: p.title,
				placeName: place?.name ?? '',
				address: place ? address(place.prefecture, place.city, place.addressLine) : '',
				postalCode: place?.postalCode ?? '',
				phone: p.contact.phone ?? '',
				schedule: schedulesText(p.schedules.map((s) => ({ ...s, note: s.note ?? null }))),
				target: targetText(p.lifeStages, p.targets),
				description: p.description,
				cost: costText(p.cost),
				url: p.contact.url ?? '',
				summary: p.summary,
				forms: formsText(p.forms),
				joinMethod: joinMethodText(p.joinMethod),
				email: p.contact.email ?? ''
			});
		}
	}
	return out;
}

export interface ExportFile {
	body: Uint8Array;
	contentType: string;
	fileName: string;
}

/** The scope's directory rows of `kind` in `format`. */
export async function exportDirectory(scope: ImportScope, input: { kind: string; format: ExportFormat }): Promise<Result<ExportFile, 'kind'>> {
	const kind = importKinds(scope).find((k) => k === input.kind);
	if (!kind) return refused('kind');
	const organizationId = scope.kind === 'organization' ? scope.organizationId : null;
	const rows = await runIn(scope, async (tx) => {
		const ids = organizationId ? [organizationId] : (await allOrganizations(tx)).sort((a, b) => a.name.localeCompare(b.name, 'ja')).map((o) => o.id);
		const rows = await rowsOf(tx, kind, ids);
		await recordAudit(tx, scope.origin, { action: 'import.export', organizationId, entityType: 'spreadsheet_export', entityId: kind, changedFields: [input.format.replace('-', '_')] });
		return rows;
	});
	const fields = KIND_FIELDS[kind].fields.filter((f) => !IMPORT_ONLY.has(f));
	const header = fields.map((f) => TITLES[f]);
	const table = rows.map((r) => fields.map((f) => r[f] ?? ''));
	const base = `tsunagu-${kind}`;
	if (input.format === 'xlsx') {
		const workbook = new ExcelJS.Workbook();
		const sheet = workbook.addWorksheet(kind);
		sheet.addRow(header).font = { bold: true };
		for (const r of table) sheet.addRow(r);
		sheet.columns.forEach((c) => (c.width = 24));
		const buffer = await workbook.xlsx.writeBuffer();
		return ok({ body: new Uint8Array(buffer as ArrayBuffer), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `${base}.xlsx` });
	}
	const text = [header, ...table].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
	if (input.format === 'csv-sjis') return ok({ body: new Uint8Array(iconv.encode(toWindows(text), 'cp932')), contentType: 'text/csv; charset=shift_jis', fileName: `${base}-sjis.csv` });
	return ok({ body: new TextEncoder().encode('\uFEFF' + text), contentType: 'text/csv; charset=utf-8', fileName: `${base}.csv` });
}
