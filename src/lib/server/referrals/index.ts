/** The referrals module's door: closed-loop referrals between organisations. */
export { referrals, referralItems, referralEvents, referralQueue, REFERRAL_STATUSES, REFERRAL_OUTCOMES, CONTACT_PREFERENCES, REFERRAL_SOURCES, QUEUE_REASONS } from './schema';
export type { ReferralStatus, ReferralOutcome, ContactPreference, ReferralSource, QueueReason } from './schema';
