/**
 * What an import would do, row by row, against what is stored now: for each row the organisation,
 * place and program it creates, updates or leaves unchanged, or the errors that skip it. The same
 * plan is shown on the preview and, made again inside the confirming transaction, written — so the
 * confirmation writes what the preview showed (unless the directory changed in between, when it
 * writes what is true then). Matching makes a second import of the same sheet change nothing:
 * organisations by name in the region, places by name and address within their organisation,
 * programs by name within their organisation, schedules by equal rule.
 */
import { allOrganizations, whyUnplaced, locationInput, locationsOf, organizationForStaff, programForStaff, programsOf, scheduleInput, type DirectoryTx, type LocationFields, type ProfileInput, type ProgramEdit, type ScheduleInput } from '../directory';
import { fold } from './columns';
import { readRow, type Issue, type PlaceDraft, type ProgramDraft, type RowDraft } from './rows';
import { scheduleKey, schedulesText } from './schedule-text';
import type { ImportKind } from './schema';
import type { Field } from './columns';
import type { SheetRow } from './read-file';

export type Action = 'create' | 'update' | 'unchanged';
export type Entity = 'organization' | 'location' | 'program';

export interface RowPlan {
	line: number;
	/** The row's names, for the preview's table. */
	organization: string | null;
	name: string | null;
	errors: Issue[];
	warnings: Issue[];
	actions: Array<{ entity: Entity; action: Action; name: string; fields: string[] }>;
	/** The program's schedules as they will be stored, in the export's words (null: the row says none). */
	schedule: string | null;
}

/** An organisation, place or program: stored (`id`) or made by an earlier write of this import (`ref`). */
export type Ref = { id: string } | { ref: number };

export type Write =
	| { op: 'organization.create'; ref: number; profile: ProfileInput }
	| { op: 'organization.update'; organization: { id: string }; profile: ProfileInput }
	| { op: 'location.create'; ref: number; line: number; organization: Ref; location: LocationFields }
	| { op: 'location.update'; line: number; organization: Ref; locationId: string; location: LocationFields }
	| { op: 'program.save'; organization: Ref; programId: string | null; edit: ProgramEdit; locations: Ref[] };

/**
 * A place the import leaves off the map (no coordinates, and no 市区町村 the registry knows), named
 * once, on the first valid row that names it: a search near a place never finds it, so staff are told.
 */
export interface UnplacedPlace {
	line: number;
	place: string;
	reason: 'no_city' | 'unknown_city';
	city: string | null;
}

export interface Plan {
	rows: RowPlan[];
	writes: Write[];
	counts: Record<Entity, Record<Action, number>> & { skipped: number; valid: number };
	unplaced: UnplacedPlace[];
}

export interface PlanInput {
	kind: ImportKind;
	/** The organisation importing its own rows, or null for the secretariat's region-wide import. */
	organizationId: string | null;
	mapping: readonly (Field | '')[];
	defaultForm: string;
	rows: SheetRow[];
	today: string;
}

/** An address as one folded string: how it is cut into prefecture, city and the rest does not matter. */
const key = (...parts: Array<string | null | undefined>) => fold(parts.map((p) => p ?? '').join(''));
/** Text as compared: a line break is a line break however the browser sent it. */
const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').replace(/\r\n?/g, '\n') === (b ?? '').replace(/\r\n?/g, '\n');

const PROFILE_KEYS = ['name', 'nameKana', 'legalForm', 'representative', 'prefecture', 'city', 'addressLine', 'postalCode', 'website', 'message', 'description'] as const;
const EDIT_KEYS = ['title', 'summary', 'description', 'forms', 'targets', 'lifeStages', 'audience', 'cost', 'joinMethod', 'joinNote', 'firstTimeNote', 'languages', 'deliveryMode', 'status', 'contact', 'schedules'] as const;

type StoredOrganization = NonNullable<Awaited<ReturnType<typeof organizationForStaff>>>;
type StoredPlace = Awaited<ReturnType<typeof locationsOf>>[number];

/** Everything the plan reads, read once per organisation. */
class Directory {
	private places = new Map<string, StoredPlace[]>();
	private programs = new Map<string, Array<{ id: string; title: string }>>();
	constructor(
		private tx: DirectoryTx,
		readonly organizations: Array<{ id: string; name: string }>
	) {}
	organization(id: string) {
		return organizationForStaff(this.tx, id);
	}
	async placesOf(id: string) {
		if (!this.places.has(id)) this.places.set(id, await locationsOf(this.tx, id));
		return this.places.get(id)!;
	}
	async programsOf(id: string) {
		if (!this.programs.has(id)) this.programs.set(id, await programsOf(this.tx, id));
		return this.programs.get(id)!;
	}
	program(organizationId: string, programId: string) {
		return programForStaff(this.tx, organizationId, programId);
	}
}

function profileOf(base: StoredOrganization | null, name: string, draft: RowDraft['profile']): ProfileInput {
	const from: ProfileInput = base
		? { name: base.name, nameKana: base.nameKana, legalForm: base.legalForm, representative: base.representative, prefecture: base.prefecture, city: base.city, addressLine: base.addressLine, postalCode: base.postalCode, website: base.website, message: base.message, description: base.description }
		: { name, nameKana: null, legalForm: null, representative: null, prefecture: null, city: null, addressLine: null, postalCode: null, website: null, message: null, description: '' };
	const merged = { ...from, ...(draft ?? {}) };
	// The same address cut differently, and the same text with other line breaks, is no change.
	if (base && key(merged.prefecture, merged.city, merged.addressLine) === key(from.prefecture, from.city, from.addressLine)) Object.assign(merged, { prefecture: from.prefecture, city: from.city, addressLine: from.addressLine });
	for (const k of ['description', 'message'] as const) if (sameText(merged[k], from[k])) Object.assign(merged, { [k]: from[k] });
	return merged;
}

function changedKeys<T>(keys: readonly (keyof T)[], before: T, after: T): string[] {
	return keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) as string[];
}

/** The place's fields: a stored place keeps its address as written (it matched by the same address). */
function placeFields(place: PlaceDraft, stored: StoredPlace | null, prefecture: string): LocationFields {
	return {
		name: place.name,
		prefecture: stored?.prefecture ?? prefecture,
		city: stored ? stored.city : (place.city ?? null),
		line: stored ? stored.addressLine : (place.line ?? null),
		postalCode: place.postalCode !== undefined ? place.postalCode : (stored?.postalCode ?? null),
		lat: stored?.lat ?? null,
		lng: stored?.lng ?? null,
		accessibility: place.accessibility !== undefined ? place.accessibility : (stored?.accessibility ?? null),
		transport: place.transport !== undefined ? place.transport : (stored?.transport ?? null)
	};
}

function newEdit(draft: ProgramDraft, defaultForm: string): ProgramEdit {
	// Nothing the sheet does not say is claimed: cost and registration stay 「不明」 until staff say.
	return {
		title: draft.title,
		summary: '',
		description: '',
		forms: [defaultForm],
		targets: [],
		lifeStages: [],
		audience: 'residents',
		cost: { kind: 'unknown', amountYen: null, note: null },
		joinMethod: 'unknown',
		joinNote: null,
		firstTimeNote: null,
		languages: ['ja'],
		deliveryMode: 'in_person',
		status: 'active',
		contact: { phone: null, email: null, url: null },
		schedules: []
	};
}

function withDraft(base: ProgramEdit, draft: ProgramDraft, stored: ScheduleInput[], today: string): ProgramEdit {
	const edit: ProgramEdit = { ...base, title: draft.title };
	for (const k of ['forms', 'targets', 'lifeStages', 'cost', 'joinMethod'] as const) if (draft[k] !== undefined) (edit as Record<string, unknown>)[k] = draft[k];
	for (const k of ['summary', 'description'] as const) if (draft[k] !== undefined && !sameText(draft[k], base[k])) edit[k] = draft[k];
	edit.contact = { phone: draft.phone !== undefined ? draft.phone : base.contact.phone, email: draft.email !== undefined ? draft.email : base.contact.email, url: draft.url !== undefined ? draft.url : base.contact.url };
	if (draft.schedules) {
		const left = [...stored];
		edit.schedules = draft.schedules.map((s) => {
			// A stored schedule with the same rule stays as it is (its start, end and days off too).
			const i = left.findIndex((x) => scheduleKey(x) === scheduleKey({ ...s, dtstart: s.dtstart ?? x.dtstart }));
			if (i >= 0) return left.splice(i, 1)[0];
			return { rrule: s.rrule, dtstart: s.dtstart ?? today, until: null, count: null, exdates: [], opensAt: s.opensAt, closesAt: s.closesAt, closedOnHolidays: s.closedOnHolidays, note: s.note };
		});
	}
	return edit;
}

/** The plan of an import: reads only. */
export async function planImport(tx: DirectoryTx, input: PlanInput): Promise<Plan> {
	const region = input.organizationId === null;
	const dir = new Directory(tx, region ? await allOrganizations(tx) : []);
	const own = input.organizationId ? await dir.organization(input.organizationId) : null;
	const plan: Plan = { rows: [], writes: [], counts: { organization: { create: 0, update: 0, unchanged: 0 }, location: { create: 0, update: 0, unchanged: 0 }, program: { create: 0, update: 0, unchanged: 0 }, skipped: 0, valid: 0 }, unplaced: [] };
	let refs = 0;
	// What earlier rows of this sheet create or already touched, by key.
	const organizationsByName = new Map<string, { ref: Ref; prefecture: string | null; line: number }>();
	const placesByKey = new Map<string, { ref: Ref; line: number }>();
	const programsByKey = new Map<string, number>();
	const profilesDone = new Map<string, number>();

	for (const row of input.rows) {
		const draft = readRow(input.kind, input.mapping, row);
		const result: RowPlan = { line: row.line, organization: draft.organizationName, name: draft.program?.title ?? draft.place?.name ?? draft.organizationName, errors: [...draft.errors], warnings: [...draft.warnings], actions: [], schedule: null };
		plan.rows.push(result);
		const writes: Write[] = [];
		const actions: RowPlan['actions'] = [];
		const error = (field: Field, key: string, params?: Issue['params']) => result.errors.push({ field, key, ...(params ? { params } : {}) });
		// What this row makes known to the rows below it, once it is known to be valid.
		const later: Array<() => void> = [];

		// ── the organisation ──
		let organization: { ref: Ref; prefecture: string | null; name: string } | null = null;
		if (!region) {
			if (draft.organizationName && own && fold(draft.organizationName) !== fold(own.name)) error('organizationName', 'imports.error.otherOrganization', { name: own.name });
			if (own) organization = { ref: { id: own.id }, prefecture: own.prefecture, name: own.name };
		} else if (!draft.organizationName) {
			error('organizationName', 'imports.error.required');
		} else {
			const name = draft.organizationName;
			const seen = organizationsByName.get(fold(name));
			const stored = dir.organizations.find((o) => fold(o.name) === fold(name));
			if (input.kind === 'organizations') {
				if (profilesDone.has(fold(name))) error('organizationName', 'imports.error.duplicateRow', { line: profilesDone.get(fold(name))! });
				else if (result.errors.length === 0) {
					const before = stored ? await dir.organization(stored.id) : null;
					const profile = profileOf(before, name, draft.profile);
					const fields = before ? changedKeys(PROFILE_KEYS, profileOf(before, name, null), profile) : PROFILE_KEYS.filter((k) => profile[k] !== null && profile[k] !== '');
					if (!before) {
						writes.push({ op: 'organization.create', ref: ++refs, profile });
						actions.push({ entity: 'organization', action: 'create', name, fields });
					} else if (fields.length) {
						writes.push({ op: 'organization.update', organization: { id: before.id }, profile });
						actions.push({ entity: 'organization', action: 'update', name, fields });
					} else actions.push({ entity: 'organization', action: 'unchanged', name, fields: [] });
					later.push(() => profilesDone.set(fold(name), row.line));
				}
			} else if (seen) organization = { ref: seen.ref, prefecture: seen.prefecture, name };
			else if (stored) {
				const o = await dir.organization(stored.id);
				organization = { ref: { id: stored.id }, prefecture: o?.prefecture ?? null, name: stored.name };
			} else {
				organization = { ref: { ref: ++refs }, prefecture: null, name };
				writes.push({ op: 'organization.create', ref: (organization.ref as { ref: number }).ref, profile: profileOf(null, name, null) });
				actions.push({ entity: 'organization', action: 'create', name, fields: ['name'] });
			}
		}

		// ── the place ──
		let place: Ref | null = null;
		// Every stored place of this name and address (an organisation may hold the same place twice).
		let sameAddress: string[] = [];
		// This row's place when it will have no map point (said only if the row is imported).
		let unplaced: UnplacedPlace | null = null;
		if (organization && draft.place) {
			const prefecture = draft.place.prefecture ?? organization.prefecture;
			if (!prefecture) error('address', 'imports.error.prefecture');
			else {
				const address = key(prefecture, draft.place.city, draft.place.line);
				const placeKey = `${'id' in organization.ref ? organization.ref.id : `#${organization.ref.ref}`}|${fold(draft.place.name)}|${address}`;
				const seen = placesByKey.get(placeKey);
				const matching = 'id' in organization.ref ? (await dir.placesOf(organization.ref.id)).filter((p) => fold(p.name) === fold(draft.place!.name) && key(p.prefecture, p.city, p.addressLine) === address) : [];
				const stored = matching[0];
				sameAddress = matching.map((p) => p.id);
				const fields = placeFields(draft.place, stored ?? null, prefecture);
				const checked = locationInput.safeParse({ ...fields, approximate: false });
				// A place this sheet names for the first time: on the map, or not and why.
				const why = checked.success && !seen ? whyUnplaced(fields) : null;
				if (why) unplaced = { line: row.line, place: fields.name, ...why };
				if (!checked.success) error('address', 'imports.error.place');
				else if (seen) place = seen.ref;
				else if (stored) {
					const before = placeFields({ name: stored.name, prefecture: stored.prefecture, city: stored.city, line: stored.addressLine, postalCode: stored.postalCode, accessibility: stored.accessibility, transport: stored.transport }, stored, stored.prefecture);
					const changed = changedKeys(['name', 'prefecture', 'city', 'line', 'postalCode', 'accessibility', 'transport'] as const, before, fields);
					place = { id: stored.id };
					if (changed.length) writes.push({ op: 'location.update', line: row.line, organization: organization.ref, locationId: stored.id, location: fields });
					actions.push({ entity: 'location', action: changed.length ? 'update' : 'unchanged', name: stored.name, fields: changed });
					later.push(() => placesByKey.set(placeKey, { ref: place!, line: row.line }));
				} else {
					place = { ref: ++refs };
					writes.push({ op: 'location.create', ref: place.ref, line: row.line, organization: organization.ref, location: fields });
					actions.push({ entity: 'location', action: 'create', name: fields.name, fields: ['name', 'prefecture', 'city', 'line', 'postalCode'].filter((k) => fields[k as keyof LocationFields] !== null) });
					later.push(() => placesByKey.set(placeKey, { ref: place!, line: row.line }));
				}
			}
		}

		// ── the program ──
		if (organization && draft.program && input.kind === 'programs') {
			const title = draft.program.title;
			const programKey = `${'id' in organization.ref ? organization.ref.id : `#${organization.ref.ref}`}|${fold(title)}`;
			const stored = 'id' in organization.ref ? (await dir.programsOf(organization.ref.id)).filter((p) => fold(p.title) === fold(title)) : [];
			if (programsByKey.has(programKey)) error('title', 'imports.error.duplicateRow', { line: programsByKey.get(programKey)! });
			else if (stored.length > 1) error('title', 'imports.error.ambiguousProgram');
			else {
				const existing = stored.length === 1 && 'id' in organization.ref ? await dir.program(organization.ref.id, stored[0].id) : null;
				const base: ProgramEdit = existing ? (Object.fromEntries(EDIT_KEYS.map((k) => [k, existing.input[k]])) as ProgramEdit) : newEdit(draft.program, input.defaultForm);
				const edit = withDraft(base, draft.program, existing?.input.schedules ?? [], input.today);
				for (const s of edit.schedules) if (!scheduleInput.safeParse(s).success) error('schedule', 'imports.error.schedule');
				// What the 日時 cell was read as, so staff see 「毎月第2火曜 10:00〜12:00」 before confirming.
				if (draft.program.schedules) result.schedule = schedulesText(edit.schedules);
				// A program held at the named place (or its twin) keeps its places; else it moves there.
				const held = existing?.locationIds.some((id) => sameAddress.includes(id));
				const locations: Ref[] = place && !held ? [place] : (existing?.locationIds.map((id) => ({ id })) ?? []);
				const fields = existing ? [...changedKeys(EDIT_KEYS, base, edit), ...(JSON.stringify(locations) !== JSON.stringify(existing.locationIds.map((id) => ({ id }))) ? ['locations'] : [])] : [...EDIT_KEYS, 'locations'];
				if (result.errors.length === 0) {
					if (!existing || fields.length) writes.push({ op: 'program.save', organization: organization.ref, programId: existing?.id ?? null, edit, locations });
					actions.push({ entity: 'program', action: !existing ? 'create' : fields.length ? 'update' : 'unchanged', name: title, fields: existing ? fields : [] });
				}
				later.push(() => programsByKey.set(programKey, row.line));
			}
		}

		if (result.errors.length) {
			plan.counts.skipped++;
			continue;
		}
		if (organization && draft.organizationName && region && !organizationsByName.has(fold(draft.organizationName))) organizationsByName.set(fold(draft.organizationName), { ref: organization.ref, prefecture: organization.prefecture, line: row.line });
		for (const remember of later) remember();
		plan.counts.valid++;
		plan.writes.push(...writes);
		if (unplaced) {
			plan.unplaced.push(unplaced);
			result.warnings.push({ field: 'address', key: unplaced.reason === 'no_city' ? 'imports.warning.unplaced.noCity' : 'imports.warning.unplaced.unknownCity', params: unplaced.city ? { place: unplaced.place, city: unplaced.city } : { place: unplaced.place } });
		}
		result.actions = actions;
		for (const a of actions) plan.counts[a.entity][a.action]++;
	}
	return plan;
}
