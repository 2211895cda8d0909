/**
 * The one convention for an expected failure: a value, never an exception. A refusal the caller
 * must handle (a code nobody knows, a date that is not today) is `{ ok: false, reason }`, with a
 * few named details beside the reason when the caller needs them (the tap that was refused);
 * success is `{ ok: true, value }`. Exceptions stay for what no caller can handle (the database
 * gone, a programming error) and for the guard's HTTP answers (403, 404).
 *
 * Why this one: `ok` narrows in TypeScript, the reasons are a closed union a route maps to statuses
 * in one place, and the value sits apart from the discriminant, so a payload can never collide
 * with `ok` or `reason` (the old `{ ok: true, result, … }` check-in answer mixed them).
 * Lookups (`cardByToken`) still answer `null` for "no such thing": not found is their answer,
 * not a refusal.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Refused<R extends string, D extends object = object> = { readonly ok: false; readonly reason: R } & Readonly<D>;
export type Result<T, R extends string, D extends object = object> = Ok<T> | Refused<R, D>;

export function ok<T>(value: T): Ok<T>;
export function ok(): Ok<void>;
export function ok<T>(value?: T): Ok<T | undefined> {
	return { ok: true, value };
}

export function refused<R extends string>(reason: R): Refused<R>;
export function refused<R extends string, D extends object>(reason: R, detail: D): Refused<R, D>;
export function refused<R extends string, D extends object>(reason: R, detail?: D): Refused<R, D> {
	return { ...(detail ?? ({} as D)), ok: false, reason } as Refused<R, D>;
}
