import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { exportResponse } from '$lib/server/staff/import-page';

export const GET: RequestHandler = (event) => exportResponse(event, requireOrganization(event, 'directory.edit'), 'csv');
