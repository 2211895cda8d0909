/**
 * What a person types before the page's JavaScript has started is theirs: hydration must not
 * erase it.
 *
 * Every server-rendered field shows its value from an expression (`value={form?.email ?? ''}`,
 * the search words, a consultation's draft). When Svelte hydrates the page it writes each such
 * value into the field once, over whatever was typed meanwhile (svelte's `set_value` compares with
 * the value it last wrote, which on hydration is none). On a slow phone the page is readable and
 * typeable seconds before its scripts run: the words vanish, and a `required` field left empty
 * then stops the form from being sent, with no message — a resident writing to the consultation
 * window, or staff signing in (a browser test on a busy machine caught it), sees the button do
 * nothing.
 *
 * So, from the moment this module loads (hooks.client.ts, before hydration), fields the person
 * changed are noted — those already changed when the scripts arrive (value ≠ the HTML's default)
 * and every later `input`/`change` — and once the first page has hydrated (the root layout's
 * `afterNavigate`), each noted field still in the document gets its value back, with an `input`
 * event so that anything bound to it hears it. Later navigations are ordinary client renders and
 * are left alone.
 */

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

interface Typed {
	value?: string;
	checked?: boolean;
	selected?: boolean[];
}

const UNTOUCHED_TYPES = new Set(['hidden', 'submit', 'button', 'reset', 'image', 'file']);

let typed: Map<Field, Typed> | null = null;

const isField = (node: EventTarget | null): node is Field => node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement || node instanceof HTMLSelectElement;

function stateOf(field: Field): Typed | null {
	if (field instanceof HTMLInputElement) {
		if (UNTOUCHED_TYPES.has(field.type)) return null;
		if (field.type === 'checkbox' || field.type === 'radio') return { checked: field.checked };
	}
	if (field instanceof HTMLSelectElement) return { selected: Array.from(field.options, (o) => o.selected) };
	return { value: field.value };
}

/** Whether the field differs from what the server's HTML said. */
function changedFromHtml(field: Field): boolean {
	if (field instanceof HTMLSelectElement) return Array.from(field.options).some((o) => o.selected !== o.defaultSelected);
	if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) return field.checked !== field.defaultChecked;
	return field.value !== field.defaultValue;
}

function note(event: Event) {
	const field = event.target;
	if (!typed || !isField(field)) return;
	const state = stateOf(field);
	if (state) typed.set(field, state);
}

/** Start noting what is typed (call before hydration). */
export function keepTypedBeforeHydration(): void {
	if (typed || typeof document === 'undefined') return;
	typed = new Map();
	for (const field of document.querySelectorAll<Field>('input, textarea, select')) {
		const state = stateOf(field);
		if (state && changedFromHtml(field)) typed.set(field, state);
	}
	document.addEventListener('input', note, true);
	document.addEventListener('change', note, true);
}

/** After the first hydration: give back what hydration overwrote, then stop noting. */
export function restoreTypedAfterHydration(): void {
	if (!typed) return;
	const noted = typed;
	typed = null;
	document.removeEventListener('input', note, true);
	document.removeEventListener('change', note, true);
	for (const [field, state] of noted) {
		if (!field.isConnected) continue;
		let changed = false;
		if (state.value !== undefined && field.value !== state.value) {
			field.value = state.value;
			changed = true;
		} else if (state.checked !== undefined && field instanceof HTMLInputElement && field.checked !== state.checked) {
			field.checked = state.checked;
			changed = true;
		} else if (state.selected && field instanceof HTMLSelectElement) {
			const options = Array.from(field.options);
			if (options.length === state.selected.length && options.some((o, i) => o.selected !== state.selected![i])) {
				options.forEach((o, i) => (o.selected = state.selected![i]));
				changed = true;
			}
		}
		if (changed) {
			field.dispatchEvent(new Event('input', { bubbles: true }));
			field.dispatchEvent(new Event('change', { bubbles: true }));
		}
	}
}
