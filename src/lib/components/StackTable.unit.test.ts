import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import StackTable from './StackTable.svelte';

const html = (props: Parameters<typeof render<typeof StackTable>>[1]) => render(StackTable, props).body.replace(/<!--[^>]*-->/g, '');

describe('StackTable (figures tables that stack on a phone)', () => {
	it('marks the table to stack and names each cell’s column, the row header heading the card', () => {
		const body = html({ props: { columns: ['団体', '延べ人数', '実人数'], rows: [{ key: 'a', head: 'こども食堂(架空)', cells: [12, '5人未満'] }], foot: { head: '地域全体', cells: [{ value: 30, id: 'total-visits' }, 20] } } });
		expect(body).toContain('<table class="list stack">');
		expect(body).toContain('<tr><th scope="row">こども食堂(架空)</th><td data-label="延べ人数">12</td><td data-label="実人数">5人未満</td></tr>');
		expect(body).toContain('<tfoot><tr><th scope="row">地域全体</th><td data-label="延べ人数" id="total-visits">30</td><td data-label="実人数">20</td></tr></tfoot>');
		expect(body).not.toContain('role="region"');
	});

	it('puts a wide (captioned) table in a focusable region named by its caption, and draws a bar beside a number', () => {
		const body = html({ props: { class: 'figures', caption: 'ネットワークの相談', columns: ['年代', '延べ人数'], rows: [{ key: '60s', head: '60代', cells: [{ value: 6, bar: 0.5 }] }] } });
		const region = /<div class="scroll-region" role="region" aria-labelledby="([^"]+)" tabindex="0"><table class="list stack figures"><caption class="visually-hidden" id="([^"]+)">ネットワークの相談<\/caption>/.exec(body);
		expect(region?.[1]).toBe(region?.[2]);
		expect(body).toMatch(/<td data-label="延べ人数" class="bar-cell">6<svg class="hbar"[^>]*><rect width="50"/);
	});
});
