import { respondPublic } from '$lib/server/api/respond';
import { hsdsOpenApiDocument } from '$lib/server/api/openapi';
import { getHsdsOpenApiDocument as contract } from '$lib/server/api/contracts';
import { directoryLicence } from '$lib/server/opendata';
import { db } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** The HSDS API's own document (the root's openapi_url); info.license is the directory's licence now. */
export const GET: RequestHandler = async ({ url }) => respondPublic(contract, hsdsOpenApiDocument(url.origin, await directoryLicence(db())), 3600);
