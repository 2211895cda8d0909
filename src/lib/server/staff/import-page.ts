/**
 * What the import pages share, for the secretariat's (/staff/network/import…) and an
 * organisation's (/staff/orgs/[orgId]/import…): reading the upload and the mapping form, the
 * module's refusals as HTTP answers, and the preview put in words for the page. The module
 * (imports/) holds the rules; these only parse, call and render.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { readFormWithin } from '../http';
import { translatorFor } from '../present';
import {
	chooseMapping,
	confirmImport,
	exportDirectory,
	importKinds,
	KIND_FIELDS,
	MAX_COLUMNS,
	MAX_FILE_BYTES,
	MAX_ROWS,
	MAX_UPLOAD_BYTES,
	pendingImport,
	previewImport,
	startImport,
	type ExportFormat,
	type Field,
	type ImportScope,
	type Issue,
	type PendingImport,
	type Plan,
	type UnplacedPlace
} from '../imports';
import { taxonomy } from '../directory';
import type { Locale } from '$lib/i18n';

type Say = ReturnType<typeof translatorFor>;

const limits = { size: Math.floor(MAX_FILE_BYTES / 1024), rows: MAX_ROWS, columns: MAX_COLUMNS };

/** The upload page's data. */
export function uploadPageData(scope: ImportScope, base: string) {
	// The secretariat at an organisation it is not a member of imports region-wide instead.
	const member = scope.kind === 'secretariat' || scope.actor.memberships.some((m) => m.organizationId === scope.organizationId);
	return { kinds: importKinds(scope), base, limits, member };
}

/** `?/upload`: the file read and kept, then the mapping step; a refusal comes back in words. */
export async function uploadAction(event: RequestEvent, scope: ImportScope, base: string) {
	const say = translatorFor(event.locals.locale);
	// An oversized upload is refused from its declared length, before any of it is read.
	const body = await readFormWithin(event.request, MAX_UPLOAD_BYTES);
	if (!body.ok) return fail(413, { kind: '', message: say('imports.refused.too_large', limits) });
	const form = body.form;
	const kind = String(form.get('kind') ?? '');
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return fail(400, { kind, message: say(file instanceof File && file.name ? 'imports.refused.empty' : 'imports.refused.no_file') });
	// The size is checked before the bytes are read into memory twice.
	if (file.size > MAX_FILE_BYTES) return fail(400, { kind, message: say('imports.refused.too_large', limits) });
	const started = await startImport(scope, { kind, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
	if (!started.ok) {
		if (started.reason === 'not_member') error(403, say('imports.refused.not_member'));
		return fail(400, { kind, message: say(`imports.refused.${started.reason}`, limits) });
	}
	redirect(303, `${base}/${started.value.id}`);
}

function fieldLabel(say: Say, field: Field) {
	return say(`imports.field.${field}`);
}

/** The mapping (or, once confirmed, the result) page's data; 404 for no such import of this person here. */
export async function mappingPageData(scope: ImportScope, id: string, locale: Locale) {
	const say = translatorFor(locale);
	const pending = await pendingImport(scope, { id });
	if (!pending) error(404, 'Not Found');
	const required = new Set<Field>([...KIND_FIELDS[pending.kind].required, ...(scope.kind === 'secretariat' && pending.kind !== 'organizations' ? (['organizationName'] as Field[]) : [])]);
	return {
		pending: { ...pending, sample: pending.sample.map((r) => r.cells) },
		fields: pending.fields.map((f) => ({ code: f, label: fieldLabel(say, f), required: required.has(f) })),
		missing: pending.missing.map((f) => fieldLabel(say, f)),
		result: pending.result
			? {
					counts: countsInWords(say, pending.result.counts, pending.kind),
					valid: pending.result.counts.valid,
					skipped: pending.result.counts.skipped,
					skippedLines: pending.result.skippedLines,
					published: pending.result.published === true,
					unplaced: (pending.result.unplaced ?? []).map((u) => unplacedInWords(say, u))
				}
			: null,
		forms: taxonomy.forms.map((f) => ({ code: f.code, label: locale === 'en' ? f.en : f.ja }))
	};
}

/** `?/map`: keep the mapping, then the preview; missing required columns come back named. */
export async function mapAction(event: RequestEvent, scope: ImportScope, id: string, base: string) {
	const say = translatorFor(event.locals.locale);
	const form = await event.request.formData();
	const count = Math.min(Number(form.get('columnCount') ?? 0) || 0, MAX_COLUMNS);
	const columns = Array.from({ length: count }, (_, i) => String(form.get(`column.${i}`) ?? ''));
	const chosen = await chooseMapping(scope, { id, columns, defaultForm: String(form.get('defaultForm') ?? '') });
	if (!chosen.ok) {
		if (chosen.reason === 'not_found') error(404, 'Not Found');
		if (chosen.reason === 'confirmed') redirect(303, `${base}/${id}`);
		return fail(400, { message: say('imports.refused.missing_fields', { fields: (chosen.missing ?? []).map((f) => fieldLabel(say, f)).join('、') }) });
	}
	redirect(303, `${base}/${id}/preview`);
}

function issueText(say: Say, header: string[], columns: Array<Field | ''>, issue: Issue): string {
	const i = columns.indexOf(issue.field);
	const column = i >= 0 && header[i] ? header[i] : fieldLabel(say, issue.field);
	return say('imports.issue', { column, problem: say(issue.key as Parameters<Say>[0], issue.params) });
}

/** A place left off the map, with its row and why (「2行目「…」: 「ゆめみ市」という市区町村が見つかりません。」). */
function unplacedInWords(say: Say, u: UnplacedPlace): string {
	return say('imports.result.unplacedItem', { line: u.line, place: u.place, why: say(`imports.unplaced.${u.reason}`, u.city ? { city: u.city } : {}) });
}

export function countsInWords(say: Say, counts: Plan['counts'], kind: PendingImport['kind']) {
	const entities = kind === 'organizations' ? (['organization'] as const) : kind === 'places' ? (['organization', 'location'] as const) : (['organization', 'location', 'program'] as const);
	return entities.map((e) => say('imports.count', { entity: say(`imports.entity.${e}`), ...counts[e] }));
}

/** The preview page's data: every row with its errors and warnings in words and what it would do. */
export async function previewPageData(scope: ImportScope, id: string, locale: Locale, base: string) {
	const say = translatorFor(locale);
	const preview = await previewImport(scope, { id });
	if (!preview.ok) {
		if (preview.reason === 'not_found') error(404, 'Not Found');
		redirect(303, `${base}/${id}`);
	}
	const { pending, plan } = preview.value;
	return {
		pending: { id: pending.id, kind: pending.kind, fileName: pending.fileName, rowCount: pending.rowCount },
		valid: plan.counts.valid,
		skipped: plan.counts.skipped,
		counts: countsInWords(say, plan.counts, pending.kind),
		// Places the import leaves off the map: counted here, each named with why on its row.
		unplaced: plan.unplaced.length,
		rows: plan.rows.map((r) => ({
			line: r.line,
			organization: r.organization,
			name: r.name,
			errors: r.errors.map((e) => issueText(say, pending.header, pending.columns, e)),
			warnings: r.warnings.map((w) => issueText(say, pending.header, pending.columns, w)),
			actions: [
				...r.actions.map((a) => `${say(`imports.entity.${a.entity}`)}「${a.name}」: ${say(`imports.action.${a.action}`)}${a.action === 'update' && a.fields.length ? ` ${say('imports.changed', { fields: a.fields.join(', ') })}` : ''}`),
				...(r.schedule && r.errors.length === 0 ? [say('imports.preview.schedule', { text: r.schedule.replace(/\n/g, ' / ') })] : [])
			]
		}))
	};
}

/** `?/confirm`: write the valid rows (published when the box 「取り込んだものを公開する」 is ticked), then the result. */
export async function confirmAction(event: RequestEvent, scope: ImportScope, id: string, base: string) {
	const form = await event.request.formData();
	const confirmed = await confirmImport(scope, { id, publish: form.get('publish') === 'on' });
	if (!confirmed.ok && confirmed.reason === 'not_found') error(404, 'Not Found');
	redirect(303, `${base}/${id}`);
}

/** `export.xlsx` / `export.csv?kind=…&encoding=shift_jis`: the download. */
export async function exportResponse(event: RequestEvent, scope: ImportScope, format: 'xlsx' | 'csv') {
	const kind = event.url.searchParams.get('kind') ?? 'programs';
	const chosen: ExportFormat = format === 'xlsx' ? 'xlsx' : event.url.searchParams.get('encoding') === 'shift_jis' ? 'csv-sjis' : 'csv';
	const file = await exportDirectory(scope, { kind, format: chosen });
	if (!file.ok) error(400, translatorFor(event.locals.locale)('imports.refused.kind'));
	return new Response(file.value.body as BodyInit, { headers: { 'content-type': file.value.contentType, 'content-disposition': `attachment; filename="${file.value.fileName}"`, 'cache-control': 'no-store' } });
}
