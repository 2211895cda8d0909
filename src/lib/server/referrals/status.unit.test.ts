import { describe, expect, it } from 'vitest';
import { allowedActions, transition, REFERRAL_ACTIONS } from './status';
import { REFERRAL_STATUSES } from './schema';

describe('referral status machine', () => {
	it('lets the receiver take the steps in order and either side close an open referral', () => {
		expect(allowedActions('sent', 'receiver')).toEqual(['accept', 'decline', 'redirect', 'close']);
		expect(allowedActions('sent', 'sender')).toEqual(['close']);
		expect(allowedActions('accepted', 'receiver')).toEqual(['first_contact', 'close']);
		expect(allowedActions('first_contact', 'receiver')).toEqual(['ongoing', 'complete', 'close']);
		expect(allowedActions('ongoing', 'receiver')).toEqual(['complete', 'close']);
		expect(transition('ongoing', 'complete', 'receiver')).toEqual({ ok: true, value: 'completed' });
	});

	it('refuses the sender the receiver’s steps and every step out of a final status', () => {
		expect(transition('sent', 'accept', 'sender')).toMatchObject({ ok: false, reason: 'not_your_step' });
		expect(transition('sent', 'first_contact', 'receiver')).toMatchObject({ ok: false, reason: 'illegal_transition' });
		for (const status of ['declined', 'redirected', 'completed', 'closed'] as const) {
			for (const side of ['sender', 'receiver'] as const) expect(allowedActions(status, side), `${status} ${side}`).toEqual([]);
			for (const action of REFERRAL_ACTIONS) expect(transition(status, action, 'receiver').ok).toBe(false);
		}
	});

	it('leaves only closing once the consent ended', () => {
		for (const status of REFERRAL_STATUSES) expect(allowedActions(status, 'receiver', true).every((a) => a === 'close')).toBe(true);
		expect(allowedActions('accepted', 'receiver', true)).toEqual(['close']);
	});
});
