/**
 * Recall and false-alarm rate of the rules on a labelled set, shared by the unit test (which
 * enforces the thresholds) and report.ts (which prints the figures for docs/triage.md).
 */
import { z } from 'zod';
import { CRISIS_CATEGORIES } from './rules';
import { triage, type TriageResult, type TriageRules } from './index';
import heldoutJson from './labelled/heldout.json';
import tuningJson from './labelled/tuning.json';

const labelledSetSchema = z.object({
	description: z.string().optional(),
	items: z
		.array(
			z.object({
				text: z.string().min(1),
				crisis: z.boolean(),
				category: z.enum(CRISIS_CATEGORIES).optional(),
				note: z.string().optional()
			})
		)
		.min(1)
});

export type LabelledItem = z.infer<typeof labelledSetSchema>['items'][number];

/** The set written first and never tuned on. */
export const HELDOUT: LabelledItem[] = labelledSetSchema.parse(heldoutJson).items;
/** The set the rules were written and adjusted against. */
export const TUNING: LabelledItem[] = labelledSetSchema.parse(tuningJson).items;

export interface Measurement {
	messages: number;
	crisis: number;
	ordinary: number;
	/** crisis messages marked urgent */
	caught: number;
	/** ordinary messages marked urgent */
	falseAlarms: number;
	/** caught / crisis */
	recall: number;
	/** falseAlarms / ordinary */
	falseAlarmRate: number;
	missed: LabelledItem[];
	alarms: Array<{ item: LabelledItem; result: TriageResult }>;
}

export function measure(items: LabelledItem[], rules?: TriageRules): Measurement {
	const missed: LabelledItem[] = [];
	const alarms: Measurement['alarms'] = [];
	let crisis = 0;
	for (const item of items) {
		const result = triage(item.text, rules);
		if (item.crisis) {
			crisis++;
			if (!result.urgent) missed.push(item);
		} else if (result.urgent) alarms.push({ item, result });
	}
	const ordinary = items.length - crisis;
	const caught = crisis - missed.length;
	return { messages: items.length, crisis, ordinary, caught, falseAlarms: alarms.length, recall: crisis ? caught / crisis : 1, falseAlarmRate: ordinary ? alarms.length / ordinary : 0, missed, alarms };
}
