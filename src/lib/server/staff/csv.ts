/** What the staff exports share: the figure columns and a CSV download response. */
import type { Translate } from '$lib/i18n';

export const figureColumns = (t: Translate, weeks: number) => [t('figures.sessions'), t('figures.visits'), t('figures.people'), t('figures.repeaters'), t('figures.retention', { weeks })];

export const csvResponse = (body: string, filename: string) => new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' } });
