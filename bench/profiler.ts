/**
 * Preloaded into the app by bench/pages.ts (`node --import ./bench/profiler.ts …`): a CPU profiler
 * the bench turns on and off over the IPC channel, so one server run gives one profile per page.
 * Messages: `{ profile: 'start' }`, then `{ profile: 'stop', file }` (the .cpuprofile is written
 * there, and `{ profiled: file }` is sent back).
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

if (process.send) {
	const session = new Session();
	session.connect();
	const post = <T>(method: string, params?: object) => new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
	process.on('message', async (message: { profile?: 'start' | 'stop'; file?: string }) => {
		if (message?.profile === 'start') {
			await post('Profiler.enable');
			await post('Profiler.setSamplingInterval', { interval: 200 });
			await post('Profiler.start');
			process.send!({ profiling: true });
		} else if (message?.profile === 'stop' && message.file) {
			const { profile } = await post<{ profile: unknown }>('Profiler.stop');
			writeFileSync(message.file, JSON.stringify(profile));
			process.send!({ profiled: message.file });
		}
	});
	// The IPC channel must not keep the server alive after SIGTERM.
	process.channel?.unref();
}
