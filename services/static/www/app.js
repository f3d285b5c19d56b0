// Small touches only: the page works without JavaScript.
"use strict";

// Sizes in KiB with a bar proportional to the largest, so the gap shows.
(function sizes() {
	var cells = document.querySelectorAll("td[data-bytes]");
	var max = 0;
	cells.forEach(function (td) { max = Math.max(max, Number(td.dataset.bytes)); });
	cells.forEach(function (td) {
		var bytes = Number(td.dataset.bytes);
		td.textContent = (bytes / 1024).toFixed(1) + " KiB";
		var bar = document.createElement("span");
		bar.className = "bar";
		bar.style.width = Math.max(2, Math.round(12 * bytes / max)) + "rem";
		td.appendChild(bar);
	});
})();

// Highlight the menu entry of the section being read.
(function menu() {
	var links = document.querySelectorAll("nav a");
	function update() {
		var current = null;
		document.querySelectorAll("main section").forEach(function (s) {
			if (s.getBoundingClientRect().top < window.innerHeight / 3) current = s.id;
		});
		links.forEach(function (a) {
			a.classList.toggle("active", a.getAttribute("href") === "#" + current);
		});
	}
	window.addEventListener("scroll", update, { passive: true });
	update();
})();

// How long the page has been open, like initd's status "changed" field.
(function uptime() {
	var span = document.querySelector("#uptime span");
	if (!span) return;
	var opened = Date.now();
	setInterval(function () {
		var s = Math.round((Date.now() - opened) / 1000);
		span.textContent = s < 60 ? s + " s ago" : Math.floor(s / 60) + " min " + (s % 60) + " s ago";
	}, 1000);
})();
