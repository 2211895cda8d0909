/**
 * Writing a plan, in the confirming transaction, through the directory's own staff operations
 * (the same validation, derived data and audit events as a place or program saved by hand), with
 * the events module's dated sessions following each saved program as on the program page. What
 * the import creates (organisations and programs) is public only when staff chose so at the
 * confirmation; otherwise organisations stay hidden and programs drafts, so nothing reaches
 * residents unchecked. Updated rows keep whether they are public. Any failure throws, and the
 * caller's one transaction rolls every row back. Answers the sheet lines whose place write left the
 * place on the map (the plan's guess is offline; an online geocoder, when configured, may do better).
 */
import type { AuditOrigin } from '../audit';
import { addLocationIn, createOrganizationIn, editLocationIn, editProfileIn, editProgramIn, publishProgramIn, type DirectoryTx } from '../directory';
import { syncOccurrences } from '../events';
import type { Tx } from '../scope';
import type { Ref, Write } from './plan';

export class ImportWriteError extends Error {
	constructor(what: string) {
		super(`import: ${what}`);
		this.name = 'ImportWriteError';
	}
}

export async function applyWrites(tx: DirectoryTx, origin: AuditOrigin, input: { region: boolean; publish: boolean; writes: readonly Write[]; today: string }): Promise<{ placedLines: Set<number> }> {
	const { region, publish, writes, today } = input;
	const made = new Map<number, string>();
	const placedLines = new Set<number>();
	const idOf = (ref: Ref) => {
		const id = 'id' in ref ? ref.id : made.get(ref.ref);
		if (!id) throw new ImportWriteError(`reference ${JSON.stringify(ref)} before it was made`);
		return id;
	};
	const after = (t: DirectoryTx, programId: string) => syncOccurrences(t, today, [programId]).then(() => undefined);
	for (const w of writes) {
		if (w.op === 'organization.create') {
			// Only the secretariat's region-wide plan creates organisations (and RLS lets only it).
			if (!region) throw new ImportWriteError('an organisation created outside a region-wide import');
			made.set(w.ref, (await createOrganizationIn(tx as Tx<'secretariat'>, origin, { profile: w.profile, today, published: publish })).id);
		} else if (w.op === 'organization.update') {
			const r = await editProfileIn(tx, origin, w.organization.id, { profile: w.profile, today });
			if (!r.ok) throw new ImportWriteError(r.reason);
		} else if (w.op === 'location.create') {
			const r = await addLocationIn(tx, origin, idOf(w.organization), { location: w.location, today });
			if (!r.ok) throw new ImportWriteError(r.reason);
			made.set(w.ref, r.value.id);
			if (r.value.placed) placedLines.add(w.line);
		} else if (w.op === 'location.update') {
			const r = await editLocationIn(tx, origin, idOf(w.organization), { locationId: w.locationId, location: w.location, today });
			if (!r.ok) throw new ImportWriteError(r.reason);
			if (r.value.placed) placedLines.add(w.line);
		} else {
			const organizationId = idOf(w.organization);
			const r = await editProgramIn(tx, origin, organizationId, { programId: w.programId, edit: w.edit, locationIds: w.locations.map(idOf), today }, after);
			if (!r.ok) throw new ImportWriteError(r.reason);
			// A new program is a draft; published here, it is audited as a publication of its own.
			if (publish && w.programId === null) {
				const p = await publishProgramIn(tx, origin, organizationId, { programId: r.value.programId, published: true });
				if (!p.ok) throw new ImportWriteError(p.reason);
			}
		}
	}
	return { placedLines };
}
