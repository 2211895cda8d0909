/** English UI text: the check-in list (the paper sheet) and undoing a head-count tap (merged into ./en.ts). */
import type { doorJa } from './ja-door';

export const doorEn: Record<keyof typeof doorJa, string> = {
	'checkin.dateList': 'Session to check in (today, or one before or after)',
	'checkin.dateGroup.today': 'Today',
	'checkin.dateGroup.past': 'Past sessions (late entry)',
	'checkin.dateGroup.upcoming': 'Upcoming sessions',
	'checkin.noDates': 'No sessions yet. Add one under Dates.',
	'checkin.lateEntry': 'A past session: record who came from the list (counted for this session, not the time you record it).',
	'checkin.upcoming': 'An upcoming session: see who is expected. Check people in on the day.',
	'checkin.cancelled': 'This session is cancelled.',
	'checkin.expected.heading': 'Expected',
	'checkin.expected.summary': '{arrived} of {groups} groups arrived ({arrivedPeople} of {people} people)',
	'checkin.expected.none': 'Nobody registered for this session.',
	'checkin.expected.reference': 'Reference',
	'checkin.expected.name': 'Name',
	'checkin.expected.groupSize': 'People',
	'checkin.expected.people': 'group of {count}',
	'checkin.expected.needs': 'Needs',
	'checkin.expected.state': 'Arrived',
	'checkin.expected.arrived': 'Arrived',
	'checkin.expected.notYet': 'Not yet',
	'checkin.expected.arrive': 'Arrived ({count})',
	'checkin.expected.arriveLabel': 'Record that {name} arrived (group of {count})',
	'checkin.expected.namesHidden': 'Names and needs are shown only to people who may see registrations.',
	'checkin.refused.not_yet': 'This session has not started yet. Record arrivals on the day.',
	'checkin.refused.not_registered': 'This registration cannot be checked in (cancelled or waiting).',
	'count.undo': 'Undo the last tap',
	'count.undone': 'The last tap was undone.',
	'count.nothingToUndo': 'Nothing to undo. Only the last tap made on this device can be undone, on the same day.',
	'count.more': 'How to count',
	'audit.action.visit.undo_tap': 'Head-count tap undone'
};
