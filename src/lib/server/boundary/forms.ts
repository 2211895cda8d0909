/**
 * Shared pieces for reading forms and parameters with zod: record ids, and zod's issues turned
 * into the `{ field: message key }` map a form is re-rendered with.
 */
import { z } from 'zod';

/**
 * A record id as PostgreSQL's `uuid` type takes it: 32 hex digits in 8-4-4-4-12 groups, either
 * case. Any version or variant: `z.uuid()` would refuse ids that are not RFC 9562 (fixtures,
 * imported data) that the database holds.
 */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A record id (see UUID) as a zod schema (inside a form's `refine` where the field wants its own key). */
export const uuid = z.guid();

/**
 * Each field's first issue as `{ field: message }`, the message being the i18n key the schema
 * gave it. `fieldOf` files an issue of one field under another (a unit shown with its amount).
 */
export function fieldErrors<E extends Partial<Record<string, string>>>(error: z.ZodError, fieldOf: Partial<Record<string, string>> = {}): E {
	const errors: Record<string, string> = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? '');
		errors[fieldOf[field] ?? field] ??= issue.message;
	}
	return errors as E;
}

/** fieldErrors with each message key put into words by `say` (the request's translator). */
export function fieldMessages(error: z.ZodError, say: (key: string) => string, fieldOf: Partial<Record<string, string>> = {}): Record<string, string> {
	return Object.fromEntries(Object.entries(fieldErrors<Record<string, string>>(error, fieldOf)).map(([field, key]) => [field, say(key)]));
}

/**
 * A query string read through a zod object schema: each key of the schema as the query holds it
 * (`null` when absent), parsed. The schema decides what a bad value does — a notice flag says
 * `.nullable().catch(null)` and so ignores it — so a route never reads `searchParams` by hand.
 */
export function queryOf<S extends z.ZodObject>(schema: S, params: URLSearchParams): z.output<S> {
	return schema.parse(Object.fromEntries(Object.keys(schema.shape).map((key) => [key, params.get(key)])));
}

/** A notice word a redirect put in the query (`?done=saved`): one of `words`, anything else `null`. */
export const notice = <const W extends readonly [string, ...string[]]>(words: W) => z.enum(words).nullable().catch(null);

/** The `named` fields of a form schema, by the prefix their names start with. */
const PREFIXES = new WeakMap<z.ZodType, string>();

/** Fields whose names carry an id after a prefix (`position:<user id>`): `[id, text]` pairs in the form's order. */
export type NamedFields = z.ZodArray<z.ZodTuple<[z.ZodString, z.ZodString], null>>;

/**
 * A form field that is every field whose name starts with `prefix` (the rota's `position:<user
 * id>`, the triage rules' `patterns.<rule id>`, a registration's answers `a.<question>…`): formOf
 * gives `[id, text]` pairs, the id being the name after the prefix, in the order the form sent
 * them (a repeated name each time), text values only. The route's schema reads them from there.
 */
export function named(prefix: string): NamedFields {
	const pairs = z.array(z.tuple([z.string(), z.string()]));
	PREFIXES.set(pairs, prefix);
	return pairs;
}

/** What formOf gives for each key: the pairs of a `named` field, every value sent for a plain `z.array` field, the one text otherwise. */
type FormFields<Shape> = { [K in keyof Shape]: Shape[K] extends NamedFields ? Array<[string, string]> : Shape[K] extends z.ZodArray ? string[] : string };
/** The same with `sent`: a field that may be missing (optional or defaulted) is `undefined` when not sent. */
type SentFields<Shape> = {
	[K in keyof Shape]: Shape[K] extends NamedFields ? Array<[string, string]> : Shape[K] extends z.ZodArray ? string[] : Shape[K] extends z.ZodType ? (undefined extends z.input<Shape[K]> ? string | undefined : string) : string;
};

/** A form's object schema, or that schema piped into a transform (the tap form turns its fields into a tap). */
type FormSchema = z.ZodObject | z.ZodPipe<z.ZodObject, z.ZodType>;
type ShapeOf<S extends FormSchema> = S extends z.ZodPipe<infer O extends z.ZodObject, z.ZodType> ? O['shape'] : S extends z.ZodObject ? S['shape'] : never;

/**
 * A form's text fields named by a zod object schema's keys, as the form holds them (`''` when
 * absent or a file, as a browser sends an empty field; for a plain `z.array` field, every text value
 * sent under that name; for a `named` field, the pairs of every field its prefix starts), for the route to parse with that schema — `schema.safeParse(formOf(schema,
 * form))` — and to show back when the schema refuses them.
 *
 * With `{ sent: true }`, a field the schema lets be missing (`.optional()`, `.default()`) is
 * `undefined` when the form did not send it, so its default applies and "not sent" stays apart
 * from "sent empty": a browser sends no field at all for an unticked checkbox.
 */
export function formOf<S extends FormSchema>(schema: S, form: FormData): FormFields<ShapeOf<S>>;
export function formOf<S extends FormSchema>(schema: S, form: FormData, options: { sent: true }): SentFields<ShapeOf<S>>;
export function formOf(schema: FormSchema, form: FormData, options: { sent?: boolean } = {}): Record<string, string | string[] | Array<[string, string]> | undefined> {
	const shape: Record<string, z.ZodType> = schema instanceof z.ZodPipe ? schema.in.shape : schema.shape;
	const text = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value : '');
	return Object.fromEntries(
		Object.entries(shape).map(([key, field]) => {
			const prefix = PREFIXES.get(field);
			if (prefix !== undefined) return [key, [...form].flatMap(([name, value]) => (name.startsWith(prefix) && typeof value === 'string' ? [[name.slice(prefix.length), value]] : []))];
			if (field instanceof z.ZodArray) return [key, form.getAll(key).filter((value) => typeof value === 'string')];
			if (options.sent && !form.has(key) && field.safeParse(undefined).success) return [key, undefined];
			return [key, text(form.get(key))];
		})
	);
}

/** Every text field of a form as sent (a repeated name's values joined by commas): a refused form shown back as it was. */
export function sentFields(form: FormData): Record<string, string> {
	return Object.fromEntries(
		[...new Set(form.keys())].map((key) => [
			key,
			form
				.getAll(key)
				.filter((value) => typeof value === 'string')
				.join(',')
		])
	);
}
