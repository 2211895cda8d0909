import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { serveExport } from '$lib/server/opendata';
import { ensureExports } from '$lib/server/runtime';
import { translator } from '$lib/i18n';

/** The stored HSDS JSON export (every published organisation with its services), with ETag and Last-Modified. */
export const GET: RequestHandler = ({ request, locals }) => serveExport(db(), 'hsds.json', request, ensureExports, translator(locals.locale)('opendata.preparing'));
