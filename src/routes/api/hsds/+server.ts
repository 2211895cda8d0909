import { db } from '$lib/server/db';
import { hsdsRoot } from '$lib/server/opendata';
import { respondHsds } from '$lib/server/api/respond';
import { getAPIMetaInformation as contract } from '$lib/server/api/contracts';
import type { RequestHandler } from './$types';

/** HSDS 3.0 API root: the HSDS version, this API's own OpenAPI document, the directory's licence. */
export const GET: RequestHandler = ({ url }) => respondHsds(contract, db(), (licence) => hsdsRoot(licence, `${url.origin}/api/hsds/openapi.json`));
