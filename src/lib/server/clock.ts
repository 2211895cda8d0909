/** The platform's calendar day: Japan has one time zone and no daylight saving. */
const tokyoDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Tokyo, YYYY-MM-DD. */
export function todayInTokyo(now = new Date()): string {
	return tokyoDay.format(now);
}
