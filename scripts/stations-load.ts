/**
 * `npm run stations:load -- <file>`: load the national station list, so the finder understands
 * 「○○駅」 as a place. The file is the station GeoJSON of 国土数値情報 鉄道データ (N02), downloaded
 * by the operator from https://nlftp.mlit.go.jp/ksj/ (README: "Station names"); no station data
 * ships with the app. The new list replaces the previous one in one transaction; a file that
 * cannot be read changes nothing. Exit 0 when loaded, 1 otherwise.
 *
 * Opens the database the way the app does (DATABASE_URL, DATABASE_APP_URL, or the embedded server
 * in DATA_DIR, default ./data, shared with a running app).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ToolDatabase } from './database';

// Start-up chatter (server started, migrations) would bury the report.
process.env.LOG_LEVEL ??= 'warn';
const say = (line: string) => console.log(`stations:load: ${line}`);
function fail(line: string): never {
	console.error(`stations:load: ${line}`);
	process.exit(1);
}

const file = process.argv[2];
if (!file || process.argv.length > 3) fail('usage: npm run stations:load -- <N02-XX_Station.geojson>');
const bytes = (() => {
	try {
		return readFileSync(file);
	} catch (e) {
		return fail(`cannot read ${file}: ${(e as Error).message}`);
	}
})();
const { readN02, decodeN02, replaceStations, N02_SOURCE } = await import('../src/lib/server/directory/stations');
const stations = readN02(decodeN02(bytes));
if (!stations.ok) fail(`${file}: ${stations.reason}. Nothing was changed.`);

const { openToolDatabase } = await import('./database');
const { systemScope } = await import('../src/lib/server/scope');
let database: ToolDatabase | undefined;
let code = 1;
try {
	database = await openToolDatabase();
	const report = await replaceStations(systemScope(database.db, 'stations:load'), stations.stations, { source: path.basename(file), ...N02_SOURCE });
	say(`loaded ${report.stations} stations (${stations.features} station features of ${stations.lines} lines by ${stations.operators} operators) from ${path.basename(file)}; the previous list (${report.replaced} stations) was replaced.`);
	say(`attribution shown with every station used: ${N02_SOURCE.attribution}`);
	code = 0;
} catch (e) {
	console.error(`stations:load: loading failed, nothing was changed: ${(e as Error).message}`);
} finally {
	await database?.close();
}
process.exit(code);
