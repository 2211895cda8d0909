import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { serveExport } from '$lib/server/opendata';
import { ensureExports } from '$lib/server/runtime';
import { translator } from '$lib/i18n';

/** The stored HSDS tabular export (CSV per HSDS table and datapackage.json, zipped), with ETag and Last-Modified. */
export const GET: RequestHandler = ({ request, locals }) => serveExport(db(), 'hsds-tabular.zip', request, ensureExports, translator(locals.locale)('opendata.preparing'));
