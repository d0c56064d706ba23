/* bookd.js - puts a bookd booking page on another site. Usage:
 *   <script src="https://BOOKD/bookd.js" data-business="demo" async></script>
 * data-service="ID" opens one service; data-mode="popup" shows a button (data-label) that
 * opens the page over the site instead of inline. The frame reports its height and each
 * booking by postMessage; only messages from the bookd origin are heard. A booking is
 * announced on the script's parent page as a "bookd:booked" event on document. */
(function () {
	var me = document.currentScript;
	if (!me) return;
	var origin = new URL(me.src).origin;
	var d = me.dataset;
	var src = origin + "/book/" + encodeURIComponent(d.business || "") + (d.service ? "/" + encodeURIComponent(d.service) : "") + (d.lang ? "?lang=" + encodeURIComponent(d.lang) : "");

	function frame() {
		var f = document.createElement("iframe");
		f.src = src;
		f.title = d.title || "Booking";
		f.style.cssText = "width:100%;border:0;display:block;height:640px;background:#fff";
		f.setAttribute("loading", "lazy");
		window.addEventListener("message", function (e) {
			if (e.origin !== origin || e.source !== f.contentWindow || !e.data) return;
			if (e.data.type === "bookd:height" && e.data.height > 0) f.style.height = e.data.height + "px";
			if (e.data.type === "bookd:booked")
				document.dispatchEvent(new CustomEvent("bookd:booked", { detail: { reference: e.data.reference, start: e.data.start } }));
		});
		return f;
	}

	if (d.mode !== "popup") {
		me.parentNode.insertBefore(frame(), me.nextSibling);
		return;
	}
	var b = document.createElement("button");
	b.type = "button";
	b.textContent = d.label || "Book now";
	b.className = "bookd-open";
	b.addEventListener("click", function () {
		var o = document.createElement("div");
		o.setAttribute("role", "dialog");
		o.setAttribute("aria-modal", "true");
		o.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.5);overflow:auto;padding:4vh 2vw";
		var box = document.createElement("div");
		box.style.cssText = "max-width:960px;margin:0 auto;background:#fff;border-radius:8px;overflow:hidden";
		var x = document.createElement("button");
		x.type = "button";
		x.textContent = "×";
		x.setAttribute("aria-label", d.closeLabel || "Close");
		x.style.cssText = "float:right;font-size:28px;line-height:1;border:0;background:none;padding:8px 14px;cursor:pointer";
		function close() {
			o.remove();
			document.removeEventListener("keydown", esc);
			b.focus();
		}
		function esc(e) {
			if (e.key === "Escape") close();
		}
		x.addEventListener("click", close);
		document.addEventListener("keydown", esc);
		box.appendChild(x);
		box.appendChild(frame());
		o.appendChild(box);
		document.body.appendChild(o);
		x.focus();
	});
	me.parentNode.insertBefore(b, me.nextSibling);
})();
