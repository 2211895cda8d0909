/**
 * The text a page shows outside elements marked with a language: what a screen reader would read
 * in the page's own language. For checking that Japanese data inside an English page is marked
 * lang="ja" (WCAG 3.1.2). Enough of HTML for server-rendered pages: comments, <head>, <script>,
 * <style> and attribute values are dropped; void elements do not nest.
 */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

export function textOutsideLang(html: string, lang: string): string {
	const body = html
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(/<head[\s>][\s\S]*?<\/head>/i, '')
		.replace(/<(script|style)[\s>][\s\S]*?<\/\1>/gi, '');
	const marked = new RegExp(`\\slang="${lang}"`);
	// For each open element, whether it (or an ancestor) is marked.
	const stack: Array<{ name: string; inside: boolean }> = [];
	let out = '';
	for (const part of body.split(/(<[^>]*>)/)) {
		if (!part.startsWith('<')) {
			if (!stack.at(-1)?.inside) out += part;
			continue;
		}
		const close = /^<\/([a-zA-Z0-9-]+)/.exec(part);
		if (close) {
			const at = stack.map((e) => e.name).lastIndexOf(close[1].toLowerCase());
			if (at >= 0) stack.length = at;
			continue;
		}
		const open = /^<([a-zA-Z0-9-]+)/.exec(part);
		if (!open) continue;
		const name = open[1].toLowerCase();
		if (VOID.has(name) || part.endsWith('/>')) continue;
		stack.push({ name, inside: (stack.at(-1)?.inside ?? false) || marked.test(part) });
	}
	return out.replace(/\s+/g, ' ');
}

/** Japanese characters (kana, kanji, Japanese punctuation) in a text, with some context each. */
export function japaneseIn(text: string): string[] {
	return [...text.matchAll(/.{0,20}[\u3000-\u30ff\u3400-\u9fff\uff01-\uff60].{0,20}/g)].map((m) => m[0]);
}
