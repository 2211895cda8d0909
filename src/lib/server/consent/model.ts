/** The consent module's vocabulary as zod schemas: every boundary that takes one parses it here. */
import { z } from 'zod';
import { CONSENT_CHANNELS, SHARE_ITEMS, SHARING_BASES, SUBJECT_REQUEST_KINDS, SUBJECT_SOURCES } from './schema';

export const shareItem = z.enum(SHARE_ITEMS);
export const shareItems = z
	.array(shareItem)
	.min(1)
	.max(SHARE_ITEMS.length)
	.transform((items) => SHARE_ITEMS.filter((i) => items.includes(i)));
export const sharingBasis = z.enum(SHARING_BASES);
export const consentChannel = z.enum(CONSENT_CHANNELS);
export const subjectSource = z.enum(SUBJECT_SOURCES);
export const subjectRequestKind = z.enum(SUBJECT_REQUEST_KINDS);

/** Items that may hold 要配慮個人情報 (health, disability, abuse, …): the sender says whether they do. */
export const MAY_BE_SENSITIVE: readonly (typeof SHARE_ITEMS)[number][] = ['summary', 'needs'];

/** 29条: a provision record is kept at least three years. */
export const PROVISION_KEEP_YEARS = 3;

/** Why a sharing without consent happens: required, shown to the secretariat. */
export const REASON_MIN = 10;
export const REASON_MAX = 1000;
export const basisReason = z.string().trim().min(REASON_MIN).max(REASON_MAX);

/** What one item's value may be (a name, a phone number or address, a summary). */
export const ITEM_VALUE_MAX = 2000;
export const itemValue = z.string().trim().min(1).max(ITEM_VALUE_MAX);
