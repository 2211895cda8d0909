/**
 * An endpoint contract: one operation under /api (/api/v1 and /api/hsds) as data — its method and path, the zod schemas of
 * its path parameters, query, headers and body, and each status it can answer with the schema of
 * that answer. The route parses with the contract's own schemas and answers through `respond` /
 * `refuse` (respond.ts), whose types only accept a status the contract declares and a body of
 * that status's schema; openapi.ts writes the document's `paths` from the same contracts.
 *
 * The answers every route shares (the boundary's 400, the size limit's 413, the session guard's
 * 401/403/404, the server's 503 when it is full) are the pieces below, used by reference.
 */
import { z } from 'zod';
import { ApiError, GuardError } from './schemas';

export type Status = 200 | 201 | 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503;

/** A response header the answer carries, and its schema. */
export interface AnswerHeader {
	readonly description: string;
	readonly schema: z.ZodType;
}

/** What one status answers. */
export interface Answer {
	readonly description: string;
	/** The JSON body's schema; several: the body is one of them (oneOf). */
	readonly json: z.ZodType | readonly z.ZodType[];
	/** A browser (Accept: text/html) gets SvelteKit's HTML error page instead. */
	readonly html?: boolean;
	readonly headers?: Readonly<Record<string, AnswerHeader>>;
	/** The answer may be NDJSON instead (application/x-ndjson): the schema of each line. */
	readonly ndjson?: z.ZodType;
}

/** A security requirement of the document (scheme name → scopes). */
export type Security = readonly Readonly<Record<string, readonly string[]>>[];

export interface Endpoint {
	readonly method: 'GET' | 'POST';
	/**
	 * The path below /api — its first segment the API it belongs to (`/v1/…`, `/hsds/…`, the
	 * document's tag) — with `{name}` for a path parameter (the route folder's `[name]`).
	 */
	readonly path: `/v1/${string}` | '/hsds' | `/hsds/${string}`;
	readonly operationId: string;
	readonly summary: string;
	readonly description?: string;
	readonly security?: Security;
	/** Path parameters; each property's description is the parameter's. */
	readonly params?: z.ZodObject;
	/** Query parameters; a registered component is also named whole in `x-query-schema`. */
	readonly query?: z.ZodObject;
	/** Request headers the route reads. */
	readonly headers?: z.ZodObject;
	/** The JSON request body. */
	readonly body?: z.ZodType;
	readonly responses: Readonly<Partial<Record<Status, Answer>>>;
}

/** A contract, with its literal statuses and its schemas' own types kept for `respond` and `refuse`. */
export const defineEndpoint = <const E extends Endpoint>(endpoint: E): E => endpoint;

type SchemasOf<A> = A extends { json: infer J } ? (J extends readonly (infer T)[] ? T : J) : never;

/** The statuses an endpoint declares. */
export type StatusOf<E extends Endpoint> = keyof E['responses'] & Status;

/** The JSON body of an endpoint's answer with this status, as the server writes it (the schema's output). */
export type AnswerOf<E extends Endpoint, S extends StatusOf<E>> = z.output<Extract<SchemasOf<E['responses'][S]>, z.ZodType>>;

/** One line of an endpoint's NDJSON answer. */
export type NdjsonLineOf<E extends Endpoint> = E['responses'][200] extends { ndjson: infer L extends z.ZodType } ? z.output<L> : never;

/** The SvelteKit route id that serves an endpoint (`/v1/programs/{id}` → `/api/v1/programs/[id]`). */
export const routeIdOf = (e: Endpoint): string => `/api${e.path.replace(/\{(\w+)\}/g, '[$1]')}`;

/** The API an endpoint belongs to: the first segment of its path (the document's tag). */
export const apiOf = (e: Endpoint): 'v1' | 'hsds' => (e.path.startsWith('/v1/') ? 'v1' : 'hsds');

/** The statuses whose answer may be the `Error` body. */
export type ErrorStatusOf<E extends Endpoint> = { [S in StatusOf<E>]: z.output<typeof ApiError> extends AnswerOf<E, S> ? S : never }[StatusOf<E>];

// ── shared answers ─────────────────────────────────────────────────────────────────────────────

const retryAfter: Record<string, AnswerHeader> = { 'Retry-After': { description: 'Seconds to wait.', schema: z.int().nonnegative() } };

/** An `Error` answer. */
export const refusal = (description: string, headers?: Record<string, AnswerHeader>): Answer => ({ description, json: ApiError, ...(headers ? { headers } : {}) });

/** A control character in a parameter or an unreadable form body is refused before the route (hooks.server.ts). */
const BOUNDARY = 'Input refused at the boundary (code control_character or unreadable_form)';

/** 400: what the route itself refuses, and the boundary's refusal before it. */
export const badInput = (what?: string): Answer => refusal(what ? `${what}, or ${BOUNDARY}` : BOUNDARY);

/** 413: a JSON body over the server's size limit is refused before the route (hooks.server.ts, boundary/input.ts). */
export const tooLarge: Answer = refusal('The body is over the server’s size limit (BODY_SIZE_LIMIT, 1 MiB by default): code too_large');

/** 429 with Retry-After. */
export const throttled = (description: string): Answer => refusal(description, retryAfter);

/** 503: what the production server answers before the app when it is full (scripts/serve.ts); a route with a 503 of its own says both. */
export const overloaded = (description = 'The server is busy (admission control): error code `overloaded`; try again after Retry-After seconds.'): Answer => refusal(description, retryAfter);

/** Staff endpoints: the session cookie (`__Host-` prefixed over https). */
export const staffSession: Security = [{ session: [] }, { sessionHttps: [] }];

/** The session guard's answers for the staff endpoints: the platform's JSON error, never a redirect. */
export const staffGuard = {
	401: refusal('No session (Error, code unauthenticated).'),
	403: refusal('The signed-in person may not record attendance in this organisation (Error, code forbidden), or holds a role whose second factor is not set up yet (Error, code second_factor_required).')
} as const satisfies Partial<Record<Status, Answer>>;

/** 404 from the operation (Error) or from the guard for a malformed organisation id (GuardError, or the HTML error page). */
export const staffNotFound = (description: string): Answer => ({ description, json: [ApiError, GuardError], html: true });
