import type { RequestHandler } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { exportResponse } from '$lib/server/staff/import-page';

export const GET: RequestHandler = (event) => exportResponse(event, requireSecretariat(event, 'directory.edit'), 'xlsx');
