import { json } from '@sveltejs/kit';
import { hsdsHeaders, hsdsRoot } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS 3.0 API root: the HSDS version, the OpenAPI document it follows, the directory's licence. */
export const GET: RequestHandler = () => json(hsdsRoot(), { headers: hsdsHeaders() });
