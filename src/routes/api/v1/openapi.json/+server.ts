import { apiJson } from '$lib/server/api/respond';
import { openApiDocument } from '$lib/server/api/openapi';
import { OpenApiDocument } from '$lib/server/api/schemas';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) => apiJson(OpenApiDocument, openApiDocument(url.origin), 3600);
