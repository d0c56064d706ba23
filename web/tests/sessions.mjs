// sessions.mjs - the demo's yoga sessions that a test may fill: those the booking page
// offers. The sessions list also names sessions on a day another test closed (a closure
// takes the day's times, not the session), and booking one is refused.

const civil = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Yoga sessions from `fromMs` for 40 days that availability offers, in time order, with
 * the sessions list's fields (id, start, capacity, seats_left). */
export async function offeredSessions(base, fromMs = Date.now()) {
	const range = "&from=" + civil(fromMs) + "&to=" + civil(fromMs + 40 * 86400000);
	const list = await (await fetch(base + "/api/v1/public/demo/sessions?service=yoga" + range)).json();
	const a = await (await fetch(base + "/api/v1/public/demo/availability?service=yoga" + range)).json();
	const offered = new Set(a.days.flatMap((d) => d.slots).map((s) => Date.parse(s.start)));
	return list.sessions.filter((s) => offered.has(Date.parse(s.start)));
}

/** The offered sessions no test has booked yet. */
export async function emptySessions(base, fromMs) {
	return (await offeredSessions(base, fromMs)).filter((s) => s.seats_left === s.capacity);
}
