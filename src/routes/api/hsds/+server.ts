import { db } from '$lib/server/db';
import { hsdsJson, hsdsRoot } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS 3.0 API root: the HSDS version, the OpenAPI document it follows, the directory's licence. */
export const GET: RequestHandler = () => hsdsJson(db(), hsdsRoot);
