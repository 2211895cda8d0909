/**
 * Prints the figures for docs/triage.md: recall and false-alarm rate on the held-out and tuning
 * sets, the misses and false alarms, and the time per message.
 *   npx tsx src/lib/server/consultations/triage/report.ts
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_RULES, triage } from './index';
import { HELDOUT, TUNING, measure, type LabelledItem } from './measure';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Microseconds per message: wall clock, and this process's CPU time (the fairer figure on a shared, loaded machine). */
function timePerMessage(texts: string[], rounds: number): string {
	for (const t of texts) triage(t); // warm up: compile the rules, let the JIT settle
	const cpu = process.cpuUsage();
	const start = performance.now();
	for (let r = 0; r < rounds; r++) for (const t of texts) triage(t);
	const n = rounds * texts.length;
	return `${(((performance.now() - start) * 1000) / n).toFixed(1)} µs wall, ${(process.cpuUsage(cpu).user / n).toFixed(1)} µs CPU`;
}

console.log(`rules version ${DEFAULT_RULES.version}: ${DEFAULT_RULES.rules.length} rules, ${DEFAULT_RULES.rules.reduce((n, r) => n + r.patterns.length, 0)} patterns, ${DEFAULT_RULES.exclusions.length} global exclusions\n`);
console.log('| set | messages | crisis | ordinary | caught | recall | false alarms | false-alarm rate |');
console.log('|---|---|---|---|---|---|---|---|');
const sets: Array<[string, LabelledItem[]]> = [
	['held-out', HELDOUT],
	['tuning', TUNING]
];
for (const [name, items] of sets) {
	const m = measure(items);
	console.log(`| ${name} | ${m.messages} | ${m.crisis} | ${m.ordinary} | ${m.caught} | ${pct(m.recall)} | ${m.falseAlarms} | ${pct(m.falseAlarmRate)} |`);
}
for (const [name, items] of sets) {
	const m = measure(items);
	for (const item of m.missed) console.log(`${name} missed: ${item.text}`);
	for (const { item, result } of m.alarms) console.log(`${name} false alarm: ${item.text} (${result.matches.map((x) => x.ruleId).join(', ')})`);
}

// Everyday Japanese that is not a consultation: the seed documents (casebooks), one sentence at a
// time. Rules that fire here are topical mentions (虐待, DV in a program description) or look-alikes to fix.
// Run from the repository root; ../shared sits beside the main checkout (and two levels up from a worktree).
const seeds = ['../shared/seeds', '../../shared/seeds'].map((p) => path.resolve(p)).find(existsSync);
if (seeds) {
	const sentences = readdirSync(seeds)
		.flatMap((f) => readFileSync(path.join(seeds, f), 'utf8').split(/[。\n]/))
		.map((s) => s.trim())
		.filter((s) => s.length > 3);
	const fired = sentences.filter((s) => triage(s).urgent);
	console.log(`\nseed documents (../shared/seeds): ${sentences.length} sentences, ${fired.length} marked urgent (${pct(fired.length / sentences.length)})`);
	for (const s of fired)
		console.log(
			`  ${triage(s)
				.matches.map((m) => m.ruleId)
				.join(', ')}: ${s.slice(0, 60)}`
		);
}

const all = [...HELDOUT, ...TUNING].map((i) => i.text);
const long = '今日は子ども食堂に行きました。みんなでカレーを作って、とても楽しかったです。'.repeat(130).slice(0, 5000);
const ordinary = [...HELDOUT, ...TUNING].filter((i) => !i.crisis).map((i) => i.text);
const crisis = [...HELDOUT, ...TUNING].filter((i) => i.crisis).map((i) => i.text);
console.log(`\ntime per message, all ${all.length} labelled messages × 200: ${timePerMessage(all, 200)}`);
console.log(`time per message, ${ordinary.length} ordinary × 200: ${timePerMessage(ordinary, 200)}`);
console.log(`time per message, ${crisis.length} crisis × 200: ${timePerMessage(crisis, 200)}`);
console.log(`time per message, one ordinary 5,000-character message (LINE's maximum) × 200: ${timePerMessage([long], 200)}`);
console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
