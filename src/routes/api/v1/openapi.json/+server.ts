import { apiJson } from '$lib/server/api/respond';
import { openApiDocument } from '$lib/server/api/openapi';
import { OpenApiDocument } from '$lib/server/api/schemas';
import { directoryLicence } from '$lib/server/opendata';
import { db } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Generated per request: info.license is the directory's licence now (the secretariat's choice). */
export const GET: RequestHandler = async ({ url }) => apiJson(OpenApiDocument, openApiDocument(url.origin, await directoryLicence(db())), 3600);
