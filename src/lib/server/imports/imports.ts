/**
 * The import's steps as operations: upload (the file read, kept as rows with a guessed mapping),
 * the mapping chosen, the preview (a plan, nothing written), the confirmation (the plan made again
 * and written in one transaction, rows with errors skipped and reported, one summary audit event
 * besides each entity's own), and the result. The secretariat imports for the whole region
 * (`SecretariatScope`, organisation null); an organisation imports its own places and programs
 * (`OrganizationScope`, as one of its members). A pending import is its author's: row-level
 * security shows it to no one else, so another person's id reads as not found.
 */
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { UUID } from '../boundary';
import { todayInTokyo } from '../clock';
import { codes, type DirectoryTx } from '../directory';
import { ok, refused, runIn, type OrganizationScope, type Result, type SecretariatScope } from '../scope';
import { guessMapping, headerScore, KIND_FIELDS, missingFields, readMapping, type Field } from './columns';
import { applyWrites } from './apply';
import { planImport, type Plan, type UnplacedPlace } from './plan';
import { readSpreadsheet, type ReadRefusal, type SheetRow } from './read-file';
import { IMPORT_KINDS, spreadsheetImports, type ImportKind } from './schema';

export type ImportScope = OrganizationScope | SecretariatScope;

/** What `mapping` holds: a field (or '') per column, the form new programs get, and, once confirmed, the result. */
export interface StoredMapping {
	columns: Array<Field | ''>;
	defaultForm: string;
	/** The header's row in the sheet (absent on imports read before titles above it were skipped: 1). */
	headerLine?: number;
	result?: ImportSummary;
}

export interface ImportSummary {
	counts: Plan['counts'];
	/** Rows skipped for their errors, by their line in the sheet. */
	skippedLines: number[];
	/** Whether what the import created was published (absent on imports confirmed before the choice existed). */
	published?: boolean;
	/** The places it left off the map, each with why (absent on imports confirmed before this was said). */
	unplaced?: UnplacedPlace[];
}

export type StartRefusal = ReadRefusal | 'kind' | 'not_member';
export type StepRefusal = 'not_found' | 'confirmed' | 'missing_fields';

export const DEFAULT_FORM = 'gathering';

const ownerOf = (scope: ImportScope) => (scope.kind === 'organization' ? scope.organizationId : null);
const kindsFor = (scope: ImportScope): readonly ImportKind[] => (scope.kind === 'secretariat' ? IMPORT_KINDS : ['places', 'programs']);

/** The kinds of sheet this scope may import. */
export function importKinds(scope: ImportScope): readonly ImportKind[] {
	return kindsFor(scope);
}

/** An organisation imports as one of its members: the secretariat's standing elsewhere imports region-wide. */
function memberOf(scope: ImportScope): boolean {
	return scope.kind === 'secretariat' || scope.actor.memberships.some((m) => m.organizationId === scope.organizationId);
}

function cleanFileName(name: string): string {
	// eslint-disable-next-line no-control-regex
	const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
	return (base || 'file').slice(0, 200);
}

/** Read the file and keep its rows with a first guess of the mapping. Nothing reaches the directory. */
export async function startImport(scope: ImportScope, input: { kind: string; fileName: string; bytes: Uint8Array }): Promise<Result<{ id: string }, StartRefusal>> {
	if (!memberOf(scope)) return refused('not_member');
	const kind = kindsFor(scope).find((k) => k === input.kind);
	if (!kind) return refused('kind');
	const fileName = cleanFileName(input.fileName);
	const sheet = await readSpreadsheet(input.bytes, fileName, { headerScore: headerScore(kind) });
	if (!sheet.ok) return sheet;
	const { header, headerLine, rows } = sheet.value;
	const mapping: StoredMapping = { columns: guessMapping(kind, header), defaultForm: DEFAULT_FORM, headerLine };
	const organizationId = ownerOf(scope);
	return runIn(scope, async (tx) => {
		const [row] = await tx
			.insert(spreadsheetImports)
			.values({ organizationId, createdBy: scope.actor.userId, kind, fileName, fileDigest: createHash('sha256').update(input.bytes).digest('hex'), header, rows, mapping, rowCount: rows.length })
			.returning({ id: spreadsheetImports.id });
		await recordAudit(tx, scope.origin, { action: 'import.upload', organizationId, entityType: 'spreadsheet_import', entityId: row.id, changedFields: [kind] });
		return ok({ id: row.id });
	});
}

type Stored = typeof spreadsheetImports.$inferSelect;

async function load(tx: DirectoryTx, scope: ImportScope, id: string, lock = false): Promise<Stored | null> {
	if (!UUID.test(id)) return null;
	const owner = ownerOf(scope);
	const query = tx
		.select()
		.from(spreadsheetImports)
		.where(and(eq(spreadsheetImports.id, id), eq(spreadsheetImports.createdBy, scope.actor.userId), owner ? eq(spreadsheetImports.organizationId, owner) : isNull(spreadsheetImports.organizationId)));
	const [row] = lock ? await query.for('update') : await query;
	return row ?? null;
}

export interface PendingImport {
	id: string;
	kind: ImportKind;
	fileName: string;
	header: string[];
	/** The header's row in the sheet. */
	headerLine: number;
	columns: Array<Field | ''>;
	defaultForm: string;
	/** The fields of this kind, and those a mapping must include. */
	fields: readonly Field[];
	missing: Field[];
	/** The first rows, to help choose the mapping. */
	sample: SheetRow[];
	rowCount: number;
	confirmed: boolean;
	result: ImportSummary | null;
}

function pendingOf(scope: ImportScope, row: Stored): PendingImport {
	const mapping = row.mapping as StoredMapping;
	return {
		id: row.id,
		kind: row.kind,
		fileName: row.fileName,
		header: row.header as string[],
		headerLine: mapping.headerLine ?? 1,
		columns: mapping.columns,
		defaultForm: mapping.defaultForm,
		fields: KIND_FIELDS[row.kind].fields,
		missing: missingFields(row.kind, mapping.columns, scope.kind === 'secretariat'),
		sample: (row.rows as SheetRow[]).slice(0, 3),
		rowCount: row.rowCount,
		confirmed: row.confirmedAt !== null,
		result: mapping.result ?? null
	};
}

/** The import as the mapping and result pages show it; null for no such import of this person here. */
export async function pendingImport(scope: ImportScope, input: { id: string }): Promise<PendingImport | null> {
	if (!memberOf(scope)) return null;
	return runIn(scope, async (tx) => {
		const row = await load(tx, scope, input.id);
		return row ? pendingOf(scope, row) : null;
	});
}

/** Keep the mapping staff chose (a field or '' per column) and the form new programs get. */
export async function chooseMapping(scope: ImportScope, input: { id: string; columns: string[]; defaultForm: string }): Promise<Result<{ missing: Field[] }, StepRefusal, { missing?: Field[] }>> {
	if (!memberOf(scope)) return refused('not_found');
	return runIn(scope, async (tx) => {
		const row = await load(tx, scope, input.id, true);
		if (!row) return refused('not_found');
		if (row.confirmedAt) return refused('confirmed');
		const columns = readMapping(row.kind, (row.header as string[]).length, input.columns);
		const defaultForm = codes('forms').includes(input.defaultForm) ? input.defaultForm : DEFAULT_FORM;
		await tx
			.update(spreadsheetImports)
			.set({ mapping: { columns, defaultForm, headerLine: (row.mapping as StoredMapping).headerLine } satisfies StoredMapping })
			.where(eq(spreadsheetImports.id, row.id));
		const missing = missingFields(row.kind, columns, scope.kind === 'secretariat');
		await recordAudit(tx, scope.origin, { action: 'import.map', organizationId: ownerOf(scope), entityType: 'spreadsheet_import', entityId: row.id, changedFields: ['mapping'] });
		return missing.length ? refused('missing_fields', { missing }) : ok({ missing });
	});
}

function planInput(scope: ImportScope, row: Stored, today: string) {
	const mapping = row.mapping as StoredMapping;
	return { kind: row.kind, organizationId: ownerOf(scope), mapping: mapping.columns, defaultForm: mapping.defaultForm, rows: row.rows as SheetRow[], today };
}

/** What confirming would do, row by row. Reads only. */
export async function previewImport(scope: ImportScope, input: { id: string }): Promise<Result<{ pending: PendingImport; plan: Plan }, StepRefusal>> {
	if (!memberOf(scope)) return refused('not_found');
	return runIn(scope, async (tx) => {
		const row = await load(tx, scope, input.id);
		if (!row) return refused('not_found');
		const pending = pendingOf(scope, row);
		if (pending.confirmed) return refused('confirmed');
		if (pending.missing.length) return refused('missing_fields');
		return ok({ pending, plan: await planImport(tx, planInput(scope, row, todayInTokyo())) });
	});
}

/**
 * Write every valid row in one transaction; rows with errors are skipped and reported. With
 * `publish`, what the import creates is public at once (in the same transaction); without it new
 * programs are drafts and new organisations hidden. A second confirmation of the same import is
 * refused; a failure in any write rolls all of them back.
 */
export async function confirmImport(scope: ImportScope, input: { id: string; publish?: boolean }): Promise<Result<ImportSummary, StepRefusal>> {
	const publish = input.publish === true;
	if (!memberOf(scope)) return refused('not_found');
	const today = todayInTokyo();
	return runIn(scope, async (tx) => {
		const row = await load(tx, scope, input.id, true);
		if (!row) return refused('not_found');
		const mapping = row.mapping as StoredMapping;
		if (row.confirmedAt) return refused('confirmed');
		if (missingFields(row.kind, mapping.columns, scope.kind === 'secretariat').length) return refused('missing_fields');
		const plan = await planImport(tx, planInput(scope, row, today));
		const { placedLines } = await applyWrites(tx, scope.origin, { region: scope.kind === 'secretariat', publish, writes: plan.writes, today });
		const unplaced = plan.unplaced.filter((u) => !placedLines.has(u.line));
		const summary: ImportSummary = { counts: plan.counts, skippedLines: plan.rows.filter((r) => r.errors.length).map((r) => r.line), published: publish, unplaced };
		await tx
			.update(spreadsheetImports)
			.set({ confirmedAt: new Date(), mapping: { ...mapping, result: summary } satisfies StoredMapping })
			.where(eq(spreadsheetImports.id, row.id));
		// The summary names no one: the import, its kind, and which kinds of entity it touched.
		const touched = (['organization', 'location', 'program'] as const).filter((e) => plan.counts[e].create + plan.counts[e].update > 0);
		// `published` when staff chose to publish what it created.
		await recordAudit(tx, scope.origin, { action: 'import.confirm', organizationId: ownerOf(scope), entityType: 'spreadsheet_import', entityId: row.id, changedFields: [row.kind, ...touched, ...(publish ? ['published'] : [])] });
		return ok(summary);
	});
}
