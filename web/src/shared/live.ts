// live.ts - keeps a view's availability fresh: the business's events stream (an
// `availability` event names the service whose free times changed), plus a refetch when the
// window regains focus or becomes visible again.
import { useEffect, useRef } from "preact/hooks";

export function useLiveRefresh(business: string, service: string | undefined, refresh: () => void): void {
	const cb = useRef(refresh);
	cb.current = refresh;
	useEffect(() => {
		if (!business || !service) return;
		let timer = 0;
		const soon = () => {
			clearTimeout(timer);
			timer = window.setTimeout(() => cb.current(), 100);
		};
		let es: EventSource | undefined;
		if (typeof EventSource !== "undefined") {
			es = new EventSource("/api/v1/public/" + encodeURIComponent(business) + "/events");
			es.addEventListener("availability", (e) => {
				try {
					const d = JSON.parse((e as MessageEvent).data);
					if (!d.service || d.service === service) soon();
				} catch {
					soon();
				}
			});
		}
		const onVisible = () => {
			if (document.visibilityState === "visible") soon();
		};
		window.addEventListener("focus", soon);
		document.addEventListener("visibilitychange", onVisible);
		return () => {
			clearTimeout(timer);
			es?.close();
			window.removeEventListener("focus", soon);
			document.removeEventListener("visibilitychange", onVisible);
		};
	}, [business, service]);
}
