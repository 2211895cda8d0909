/**
 * Where an organisation's facts come from, as a reference someone can cite: the source document
 * its record was taken from (the demo region's organisations, each from one of the project's seed
 * documents), or, for an organisation that joined through tsunagu, the organisation itself. Only
 * facts we hold: the document's heading and file, the day the record entered tsunagu and the day
 * it last changed — no retrieval date or page number we do not know.
 */
import type { Translate } from '$lib/i18n';
import { todayInTokyo } from '../clock';
import { lastEditOf } from '../directory';

/**
 * The seed documents (../shared/seeds), as PRODUCT.md describes them: who published what kind of
 * document. Descriptions, not titles: the documents' exact titles are not in our copies.
 */
const SOURCE_DOCUMENTS: Record<string, { ja: string; en: string }> = {
	'000_ee577e9afc72cad0.txt': { ja: 'NPO法人はたらくらすの紹介資料', en: 'NPO Hatarakurasu’s own introduction' },
	'001_0f4161682f2db0a8.txt': { ja: '内閣府 孤独・孤立対策モデル事業の事例集', en: 'Cabinet Office casebook of model projects against loneliness and isolation' },
	'002_3a739dbb5c06538d.txt': { ja: '内閣府 孤独・孤立対策モデル事業の事例集', en: 'Cabinet Office casebook of model projects against loneliness and isolation' },
	'003_29a104c52f05b20b.txt': { ja: '全国社会福祉協議会 子ども・家庭支援プラットフォームの事例集', en: 'Japan National Council of Social Welfare casebook of child and family support platforms' },
	'004_db7cee502450179d.txt': { ja: '孤独・孤立対策官民連携プラットフォームの取組事例', en: 'Case list of the national public-private platform on loneliness and isolation' }
};

/** The fields of an organisation row a citation reads. */
export interface CitedOrganization {
	id: string;
	name: string;
	sourceFile: string | null;
	sourceTitle: string | null;
	createdAt: Date;
	updatedAt: Date;
}

export interface OrganizationCitation {
	/** source_document: taken from a document; organization: entered by the organisation on tsunagu. */
	kind: 'source_document' | 'organization';
	/** The heading of the document's section the facts come from. */
	title: string | null;
	document: { file: string; description: { ja: string; en: string } | null } | null;
	organization: string;
	/** Tokyo days (YYYY-MM-DD): the record entered tsunagu; it last changed. */
	listedOn: string;
	/** Null for a record taken from its document and never changed since: loading it is no change. */
	updatedOn: string | null;
	/** The record's public page. */
	url: string;
}

export function organizationCitation(o: CitedOrganization, origin: string): OrganizationCitation {
	// The demo data's load day is not a change to the facts: only an edit since listing dates one.
	const edited = lastEditOf(o, o.sourceFile);
	return {
		kind: o.sourceFile ? 'source_document' : 'organization',
		title: o.sourceFile ? o.sourceTitle : null,
		document: o.sourceFile ? { file: o.sourceFile, description: SOURCE_DOCUMENTS[o.sourceFile] ?? null } : null,
		organization: o.name,
		listedOn: todayInTokyo(o.createdAt),
		updatedOn: edited ? todayInTokyo(edited) : null,
		url: `${origin}/organizations/${o.id}`
	};
}

/**
 * The citation as one sentence in `t`'s language (「出典: 『…』(…)。つなぐへの掲載 …、最終更新 …。」).
 * `day` formats the dates (the data formats keep YYYY-MM-DD; the page writes them out).
 */
export function citationText(t: Translate, c: OrganizationCitation, locale: 'ja' | 'en', day: (isoDay: string) => string = (d) => d): string {
	const m = citationMessage(c, locale, t('app.name'), day);
	return t(m.key, m.params);
}

/**
 * The citation as a message, its values, and which of them are the directory's own words (the
 * document's title, the organisation's name: Japanese on an English page, marked so by the page).
 */
export function citationMessage(
	c: OrganizationCitation,
	locale: 'ja' | 'en',
	site: string,
	day: (isoDay: string) => string = (d) => d
): { key: 'citation.fromOrganization' | 'citation.fromDocument' | 'citation.fromDocumentUntitled' | 'citation.fromDocumentUnchanged' | 'citation.fromDocumentUntitledUnchanged'; params: Record<string, string>; named: string[] } {
	const listed = { site, listed: day(c.listedOn) };
	if (!c.document) return { key: 'citation.fromOrganization', params: { organization: c.organization, ...listed, updated: day(c.updatedOn ?? c.listedOn) }, named: ['organization'] };
	const document = c.document.description?.[locale] ?? c.document.file;
	if (c.updatedOn === null) return c.title ? { key: 'citation.fromDocumentUnchanged', params: { title: c.title, document, ...listed }, named: ['title'] } : { key: 'citation.fromDocumentUntitledUnchanged', params: { document, ...listed }, named: [] };
	const dates = { ...listed, updated: day(c.updatedOn) };
	return c.title ? { key: 'citation.fromDocument', params: { title: c.title, document, ...dates }, named: ['title'] } : { key: 'citation.fromDocumentUntitled', params: { document, ...dates }, named: [] };
}
