/**
 * The whole published directory as one HSDS 3.0 document, in two files: HSDS JSON (every
 * published organisation, fully nested with its services, contacts and locations, and the
 * taxonomies; here) and HSDS tabular (one CSV per HSDS table in a zip, described by a Frictionless
 * `datapackage.json`; export-tabular.ts). Both come from the same records as the /api/hsds/
 * answers (hsds.ts), so the API and the downloads agree. Rendering is a pure function of the
 * records and the time of export: the same directory at the same time gives the same bytes
 * (exports.ts relies on it to tell whether anything changed).
 *
 * National scale (issue 15: 100,000 programs, 20,000 organisations): the directory is read a page
 * of organisations at a time and each file is made as a stream of pieces, never one string or one
 * buffer — the HSDS JSON alone is then longer than a JavaScript string may be.
 */
import type { Tx } from '../db';
import { getOrganizations, getPrograms, publishedOrganizationIndex, type ProgramDetail } from '../directory';
import { hsdsOrganization, HSDS_VERSION, type Json } from './hsds';
import { allTaxonomies, allTerms, type HsdsTaxonomy, type HsdsTaxonomyTerm } from './hsds-taxonomy';
import type { DirectoryLicence } from './licence';

/** The published directory as HSDS records, read a page of organisations at a time. */
export interface HsdsDirectory {
	/** Every published organisation's id: a place's `organization_id` is kept only when it names one of them. */
	organizationIds: ReadonlySet<string>;
	/** The organisations in the file's order, each fully nested; every call reads the directory again. */
	organizations(): AsyncIterable<Json>;
	taxonomies: HsdsTaxonomy[];
	terms: HsdsTaxonomyTerm[];
}

/** What every export states about itself. */
export interface ExportMeta {
	created: Date;
	/** Where the directory is published (the site's origin). */
	origin: string;
	title: string;
	/** The directory's licence (the secretariat's choice); the files state its Japanese page. */
	licence: DirectoryLicence;
}

// One collator for every comparison (as `localeCompare(…, 'ja')` orders, many times quicker over 20,000 names).
const japanese = new Intl.Collator('ja');
const byName = (a: { name: string; id: string }, b: { name: string; id: string }) => japanese.compare(a.name, b.name) || a.id.localeCompare(b.id);

/** Programs read together (whole organisations, at least one): a few statements a page, a few hundred records in memory at once. */
export const PROGRAMS_PER_PAGE = 250;

/** Let timers and requests run between two pieces of work (the export must not hold the process). */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The index cut into pages of whole organisations with about `perPage` programs between them. */
function pagesOf<T extends { programs: number }>(index: readonly T[], perPage: number): T[][] {
	const pages: T[][] = [];
	let page: T[] = [];
	let programs = 0;
	for (const entry of index) {
		if (page.length > 0 && programs + entry.programs > perPage) {
			pages.push(page);
			page = [];
			programs = 0;
		}
		page.push(entry);
		programs += entry.programs;
	}
	if (page.length > 0) pages.push(page);
	return pages;
}

/**
 * Every published organisation with its published services fully nested, in the file's order (by
 * name, then id). Only the index (ids, names, counts) is read whole; the records are read and made
 * a page at a time, giving way to the event loop after each organisation — at 100,000 programs the
 * whole directory as records is gigabytes, and making them takes tens of seconds.
 */
export async function hsdsDirectory(db: Tx<'system'>, origin: string, perPage = PROGRAMS_PER_PAGE): Promise<HsdsDirectory> {
	const index = (await publishedOrganizationIndex(db)).sort(byName);
	async function* organizations(): AsyncGenerator<Json> {
		for (const entries of pagesOf(index, perPage)) {
			const page = await getOrganizations(
				db,
				entries.map((o) => o.id)
			);
			const programs = await getPrograms(
				db,
				page.flatMap((d) => d.programs.map((p) => p.id))
			);
			const servicesOf = new Map<string, ProgramDetail[]>();
			for (const p of programs) {
				const list = servicesOf.get(p.organization.id);
				if (list) list.push(p);
				else servicesOf.set(p.organization.id, [p]);
			}
			for (const d of page) {
				await yieldToEventLoop();
				const services = (servicesOf.get(d.organization.id) ?? []).sort((a, b) => byName({ name: a.program.title, id: a.program.id }, { name: b.program.title, id: b.program.id }));
				yield hsdsOrganization(
					d,
					origin,
					services.flatMap((s) => s.locations),
					services
				);
			}
		}
	}
	return { organizationIds: new Set(index.map((o) => o.id)), organizations, taxonomies: allTaxonomies(), terms: allTerms() };
}

/**
 * The HSDS JSON file as pieces of text: exactly `JSON.stringify` of the whole document (the
 * records with the HSDS version, the licence and the time of export), never held as one string —
 * at 100,000 programs it is longer than a JavaScript string may be.
 */
export async function* hsdsJsonExport(organizations: AsyncIterable<Json>, directory: Pick<HsdsDirectory, 'taxonomies' | 'terms'>, meta: ExportMeta): AsyncGenerator<string> {
	const head = {
		hsds_version: HSDS_VERSION,
		title: meta.title,
		created: meta.created.toISOString(),
		license: { name: meta.licence.name, identifier: meta.licence.identifier, url: meta.licence.url.ja },
		source: `${meta.origin}/opendata`
	};
	yield `${JSON.stringify(head).slice(0, -1)},"organizations":[`;
	let first = true;
	for await (const organization of organizations) {
		yield (first ? '' : ',') + JSON.stringify(organization);
		first = false;
	}
	yield `],"taxonomies":${JSON.stringify(directory.taxonomies)},"taxonomy_terms":${JSON.stringify(directory.terms)}}`;
}
