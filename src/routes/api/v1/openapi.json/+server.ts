import { respondPublic } from '$lib/server/api/respond';
import { openApiDocument } from '$lib/server/api/openapi';
import { getOpenApiDocument as contract } from '$lib/server/api/contracts';
import { directoryLicence } from '$lib/server/opendata';
import { db } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Generated per request: info.license is the directory's licence now (the secretariat's choice). */
export const GET: RequestHandler = async ({ url }) => respondPublic(contract, openApiDocument(url.origin, await directoryLicence(db())), 3600);
