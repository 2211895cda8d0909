/**
 * What a starting process does before it serves pages, one process at a time (processes starting
 * together queue on the startup lock): load the demo region into an empty directory, bring dates
 * up to today, and issue the secretariat's set-up link once.
 */
import type { Database } from '../db';
import { todayInTokyo } from '../clock';
import { publicOrigin } from '../http';
import { log } from '../log';
import { sendMail } from '../mail';
import { systemScope } from '../scope';
import { translate } from '../../i18n';
import { loadDemoRegion, isDirectoryEmpty, refreshUpcomingDates, reindexStalePrograms, upcomingDatesStale } from '../directory';
import { occurrencesStale } from '../events';
import { ensureSecretariatInvitation, setupLinkIssuedSince, DEMO_SECRETARIAT_SLUG } from '../network';
import { JOBS, datesJob, syncAll } from './locks';

export async function startUp(database: Database, env: NodeJS.ProcessEnv, startedAt: Date) {
	const today = todayInTokyo();
	const scope = systemScope(database.db, JOBS.startup);
	let loadedDemo = false;
	if (env.DEMO_REGION !== 'off' && (await isDirectoryEmpty(database.db))) {
		log.info('demo_region_loaded', await loadDemoRegion(scope, today));
		loadedDemo = true;
	} else if (await upcomingDatesStale(database.db, today)) {
		await refreshUpcomingDates(scope, today);
	}
	if (await occurrencesStale(database.db, today)) {
		// A fresh demo region is small: its dates exist before the first page is served (this
		// start-up already holds the dates lock). A large directory (national scale) catches up in
		// the background, under the dates lock once start-up lets it go, checked again there.
		if (loadedDemo) log.info('occurrences_synced', await syncAll(database, today));
		else
			datesJob(database, async () => {
				if (await occurrencesStale(database.db, today)) log.info('occurrences_synced', await syncAll(database, today));
			}).catch((e: Error) => log.error('occurrences_sync_failed', { message: e.message }));
	}
	// Rows derived by an older build (search readings, area codes) are rebuilt in the background,
	// one process at a time. Until its row is rebuilt, a program is found by its filters and places
	// but not by its words (since 0023 words match search_gram_ids, which older rows lack): a few
	// seconds for a region's hundreds of programs, about 14 minutes at 100,000 (bench/RESULTS.md).
	if (!loadedDemo)
		datesJob(database, () => reindexStalePrograms(systemScope(database.db, JOBS.dates), today))
			.then((n) => n && log.info('programs_reindexed', { programs: n }))
			.catch((e: Error) => log.error('programs_reindex_failed', { message: e.message }));
	await issueSetupLink(database, env, startedAt);
}

/** The secretariat's first admin gets a set-up link, unless a process starting beside this one sent it. */
async function issueSetupLink(database: Database, env: NodeJS.ProcessEnv, startedAt: Date) {
	const scope = systemScope(database.db, JOBS.startup);
	const email = env.ADMIN_EMAIL || 'admin@example.org';
	if (await setupLinkIssuedSince(scope, startedAt)) {
		log.warn('secretariat_setup_link_sent_by_another_process', { email });
		return;
	}
	const setup = await ensureSecretariatInvitation(scope, {
		email,
		organizationSlug: env.SECRETARIAT_ORGANIZATION || (env.DEMO_REGION !== 'off' ? DEMO_SECRETARIAT_SLUG : undefined),
		networkName: env.NETWORK_NAME || 'ネットワーク事務局'
	});
	if (setup) {
		const link = `${publicOrigin(env)}/invite/${setup.token}`;
		log.warn('secretariat_setup_link', { email: setup.email, link });
		await sendMail({ to: setup.email, subject: translate('ja', 'mail.setup.subject'), text: translate('ja', 'mail.setup.body', { link }) });
	}
}
