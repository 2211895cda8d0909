/**
 * Over HTTP: phone and walk-in consultations recorded from the inbox (`?/record`), and the
 * consultation figures on the organisation's figures page and CSV — shown only to those who may
 * read the organisation's consultations; everyone else gets the attendance figures as before.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../tests/helpers/app';

const app = useApp({ seed: 'consult-figures-http' });

const record = (orgId: string, body: Record<string, string>, token?: string) => app.post(`/staff/orgs/${orgId}/consultations?/record`, body, token);
const staffThreads = async (orgId: string) => Number((await app.admin.query(`select count(*) from consultation_threads where organization_id = $1 and channel = 'staff'`, [orgId])).rows[0].count);
const { get } = app;

describe('電話・来所の相談を記録', () => {
	it("shows the form to the organisation's counsellor, records the consultation into the inbox, and says so", async () => {
		const counsellor = app.cast.people.counsellor.token;
		const page = await (await get(`/staff/orgs/${app.cast.orgA}/consultations`, counsellor)).text();
		expect(page).toContain('電話・来所の相談を記録');
		expect(page).toContain('action="?/record"');
		const before = await staffThreads(app.cast.orgA);
		const sent = await record(app.cast.orgA, { message: '来所: 子どもの登校について相談したい', nickname: 'やまだ', contact: '' }, counsellor);
		expect(sent.status).toBe(303);
		expect(sent.headers.get('location')).toBe(`/staff/orgs/${app.cast.orgA}/consultations?view=mine&recorded=ok`);
		expect(await staffThreads(app.cast.orgA)).toBe(before + 1);
		const mine = await (await get(sent.headers.get('location')!, counsellor)).text();
		expect(mine).toContain('記録しました。');
		expect(mine).toContain('電話・来所');
		// No private link is handed to anyone, and the text is stored sealed.
		expect(mine).not.toContain('/consult/t/');
		const [row] = (await app.admin.query(`select m.body_sealed from consultation_messages m join consultation_threads t on t.id = m.thread_id where t.organization_id = $1 and t.channel = 'staff' order by m.created_at desc limit 1`, [app.cast.orgA])).rows;
		expect(row.body_sealed).toMatch(/^enc:v1:/);
	});

	it("marks the record urgent by the counsellor's judgement or by triage", async () => {
		const counsellor = app.cast.people.counsellor.token;
		for (const body of [{ message: '声の様子が心配', urgent: 'on' }, { message: '電話で「死にたい」と話していた' }] as Array<Record<string, string>>) {
			const sent = await record(app.cast.orgA, body, counsellor);
			expect(sent.headers.get('location'), body.message).toBe(`/staff/orgs/${app.cast.orgA}/consultations?view=urgent&recorded=urgent`);
		}
	});

	it('gives an empty record back with its error, storing nothing', async () => {
		const before = await staffThreads(app.cast.orgA);
		const sent = await record(app.cast.orgA, { message: '  ', nickname: 'やまだ' }, app.cast.people.counsellor.token);
		expect(sent.status).toBe(400);
		expect(await sent.text()).toContain('相談したいことを書いてください。');
		expect(await staffThreads(app.cast.orgA)).toBe(before);
	});

	it("refuses anyone else: anonymous to the login page, staff without consultations, another organisation's admin, the secretariat elsewhere", async () => {
		const before = await staffThreads(app.cast.orgA);
		const anonymous = await record(app.cast.orgA, { message: '乗っ取り' });
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
		for (const who of ['staff', 'org_admin', 'volunteer', 'secretariat', 'adminB'] as const) expect((await record(app.cast.orgA, { message: '乗っ取り' }, app.cast.people[who].token)).status, who).toBe(403);
		// A counsellor of organisation A under organisation B's path.
		expect((await record(app.cast.orgB, { message: '乗っ取り' }, app.cast.people.counsellor.token)).status).toBe(403);
		expect(await staffThreads(app.cast.orgA)).toBe(before);
		expect(await staffThreads(app.cast.orgB)).toBe(0);
	});
});

describe('consultation figures on the figures page and CSV', () => {
	it('shows them to the secretariat at its own organisation (the one window), which reads its consultations', async () => {
		await record(app.cast.secretariatOrg, { message: '窓口に電話: 相談先を知りたい' }, app.cast.people.secretariat.token);
		const page = await (await get(`/staff/orgs/${app.cast.secretariatOrg}/figures`, app.cast.people.secretariat.token)).text();
		expect(page).toContain('id="consultation-figures"');
		expect(page).toContain('最初の返事まで(中央値)');
		const csv = await get(`/staff/orgs/${app.cast.secretariatOrg}/figures.csv`, app.cast.people.secretariat.token);
		expect(csv.status).toBe(200);
		const body = await csv.text();
		expect(body).toMatch(/相談の件数,[1-9]/);
		expect(body).toContain('電話・来所,');
		const [audit] = (await app.admin.query(`select organization_id from audit_events where action = 'consultation.figures_export' order by id desc limit 1`)).rows;
		expect(audit.organization_id).toBe(app.cast.secretariatOrg);
	});

	it('leaves them out for staff and admins who see attendance but not consultations', async () => {
		for (const who of ['staff', 'org_admin'] as const) {
			const page = await get(`/staff/orgs/${app.cast.orgA}/figures`, app.cast.people[who].token);
			expect(page.status, who).toBe(200);
			expect(await page.text(), who).not.toContain('consultation-figures');
			const csv = await (await get(`/staff/orgs/${app.cast.orgA}/figures.csv`, app.cast.people[who].token)).text();
			expect(csv, who).not.toContain('相談の件数');
		}
		// The secretariat on another organisation's figures (network attendance permission, no consultations there).
		const elsewhere = await (await get(`/staff/orgs/${app.cast.orgA}/figures`, app.cast.people.secretariat.token)).text();
		expect(elsewhere).not.toContain('consultation-figures');
		expect((await get(`/staff/orgs/${app.cast.orgA}/figures`)).status).toBe(303);
	});

	it("shows a counsellor their own organisation's consultation figures, without its attendance, page and CSV", async () => {
		const counsellor = app.cast.people.counsellor.token;
		const page = await get(`/staff/orgs/${app.cast.orgA}/figures?from=2020-01-01`, counsellor);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('id="consultation-figures"');
		expect(html).toContain('相談の実績');
		// The records made above: counted, never quoted.
		expect(html).toMatch(/相談の件数<\/th>(?:<!--[^>]*-->)*<td data-label="値"[^>]*>[1-9]/);
		expect(html).not.toContain('子どもの登校');
		expect(html).not.toContain('id="total-visits"');
		expect(html).not.toContain('延べ人数');
		const csv = await get(`/staff/orgs/${app.cast.orgA}/figures.csv?from=2020-01-01`, counsellor);
		expect(csv.status).toBe(200);
		// One byte-order mark (fetch's text() drops it), then the section without a blank line first.
		const bytes = new Uint8Array(await csv.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = new TextDecoder().decode(bytes).split('\r\n');
		expect(lines[0]).toBe('相談');
		expect(lines[1]).toBe('項目,値');
		expect(lines[2]).toMatch(/^相談の件数,[1-9]/);
		expect(lines.join('\n')).not.toContain('延べ人数');
		// The staff home links to them.
		expect(await (await get('/staff', counsellor)).text()).toContain(`href="/staff/orgs/${app.cast.orgA}/figures#consultation-figures"`);
	});

	it("refuses a counsellor another organisation's figures, and the network's", async () => {
		const counsellor = app.cast.people.counsellor.token;
		expect((await get(`/staff/orgs/${app.cast.orgB}/figures`, counsellor)).status).toBe(403);
		expect((await get(`/staff/orgs/${app.cast.orgB}/figures.csv`, counsellor)).status).toBe(403);
		expect((await get('/staff/network/figures', counsellor)).status).toBe(403);
	});
});

describe("the network's consultation figures, for the secretariat", () => {
	it('shows every organisation and the network, counts only, under 5 hidden, never a word of a thread', async () => {
		const page = await get('/staff/network/figures?from=2020-01-01', app.cast.people.secretariat.token);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('id="network-consultation-figures"');
		expect(html).toContain('5件未満');
		for (const text of ['相談先を知りたい', '子どもの登校', 'やまだ', '死にたい']) expect(html).not.toContain(text);
		expect(html).not.toContain('/consultations/');
	});

	it('adds a CSV section with its columns, recorded in the audit log', async () => {
		const csv = await get('/staff/network/figures.csv?from=2020-01-01', app.cast.people.secretariat.token);
		expect(csv.status).toBe(200);
		const lines = (await csv.text()).split('\r\n');
		const title = lines.indexOf('ネットワークの相談');
		expect(title).toBeGreaterThan(0);
		expect(lines[title - 1]).toBe('');
		expect(lines[title + 1]).toBe('団体,相談の件数,ウェブ,LINE,電話・来所,うち緊急,緊急の割合,最初の返事まで(中央値) (分),最初の返事まで(90パーセンタイル) (分)');
		const organizations = Number((await app.admin.query(`select count(*) from organizations`)).rows[0].count);
		// One line per organisation and the network's, then the end of the section (an empty line; the referral section follows).
		const end = lines.indexOf('', title + 2);
		expect(end - (title + 2)).toBe(organizations + 1);
		expect(lines[end - 1]).toMatch(/^地域全体,/);
		const [audit] = (await app.admin.query(`select actor_user_id from audit_events where action = 'consultation.figures_export_network' order by id desc limit 1`)).rows;
		expect(audit.actor_user_id).toBe(app.cast.people.secretariat.userId);
	});

	it('refuses everyone else: anonymous to the login page, an organisation admin without secretariat standing, staff', async () => {
		for (const path of ['/staff/network/figures', '/staff/network/figures.csv']) {
			const anonymous = await get(path);
			expect(anonymous.status).toBe(303);
			expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
			for (const who of ['org_admin', 'adminB', 'staff', 'counsellor'] as const) expect((await get(path, app.cast.people[who].token)).status, `${who} ${path}`).toBe(403);
		}
	});
});

/** Every table of a page: its attributes, its columns' names and each cell's data-label (null without one). */
function tablesOf(html: string) {
	return [...html.matchAll(/<table\b([^>]*)>([\s\S]*?)<\/table>/g)].map(([, attrs, body]) => ({
		attrs,
		columns: [...(/<thead>([\s\S]*?)<\/thead>/.exec(body)?.[1] ?? '').matchAll(/<th scope="col"[^>]*>([\s\S]*?)<\/th>/g)].map((m) => m[1]),
		cells: [...body.matchAll(/<td\b([^>]*)>/g)].map((m) => /data-label="([^"]*)"/.exec(m[1])?.[1] ?? null)
	}));
}

describe('the figures tables on a phone (issue 16)', () => {
	it('stack every table of the organisation’s and the network’s figures pages, each cell naming its column', async () => {
		const pages = [
			[`/staff/orgs/${app.cast.orgA}/figures?from=2020-01-01`, 'org_admin', 4],
			[`/staff/orgs/${app.cast.orgA}/figures?from=2020-01-01`, 'counsellor', 1],
			['/staff/network/figures?from=2020-01-01', 'secretariat', 5]
		] as const;
		for (const [path, who, least] of pages) {
			const page = await get(path, app.cast.people[who].token);
			expect(page.status, `${who} ${path}`).toBe(200);
			const tables = tablesOf(await page.text());
			expect(tables.length, `${who} ${path}`).toBeGreaterThanOrEqual(least);
			expect(tables.flatMap((t) => t.cells).length, `${who} ${path}`).toBeGreaterThan(tables.length);
			for (const t of tables) {
				expect(t.attrs, `${who} ${path}`).toMatch(/class="list stack\b/);
				// Every cell says which column it is in; the row's own header (th) heads the card.
				for (const label of t.cells) expect(t.columns.slice(1), `${who} ${path}: ${t.attrs}`).toContain(label);
			}
		}
	});
});

describe('the network figures filter', () => {
	it('refuses a name or city over 100 characters in words, showing nothing unfiltered, and filters at 100', async () => {
		const token = app.cast.people.secretariat.token;
		const exports = async () => Number((await app.admin.query(`select count(*) from audit_events where action = 'figures.export_region'`)).rows[0].count);
		const before = await exports();
		const long = encodeURIComponent('あ'.repeat(101));
		for (const path of [`/staff/network/figures?name=${long}`, `/staff/network/figures?city=${long}`, `/staff/network/figures.csv?name=${long}`]) {
			const r = await get(path, token);
			expect(r.status, path).toBe(400);
			const body = await r.text();
			expect(body, path).toContain('団体名・市区町村は100文字までで入力してください。');
			expect(body, path).not.toContain('地域全体');
		}
		expect(await exports()).toBe(before);
		const within = await get(`/staff/network/figures?name=${encodeURIComponent('あ'.repeat(100))}`, token);
		expect(within.status).toBe(200);
		expect(await within.text()).toContain('条件に合う団体はありません。');
	});
});
