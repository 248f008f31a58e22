/* Live updates: tells the reader that reports arrived since the page was drawn ("3 new reports
 * — refresh"), without reloading by itself (the reader may be mid-way through a dossier).
 * It polls /api/updates: the first answer is the baseline (the newest article's number), later
 * ones say how many articles were stored after it. While nothing changes the server answers
 * from its cache. Polling pauses while the tab is hidden. Text is set with textContent only. */
(function () {
  "use strict";
  var box = document.getElementById("live-updates");
  if (!box || !window.fetch) return;
  // 20 s: a watch pass runs every few minutes, so a report shows up within a fraction of a
  // pass; a poll that changes nothing costs the server a cache hit.
  var POLL_MS = Number(box.getAttribute("data-poll-ms")) || 20000;
  var baseline = null;
  var title = document.title;

  function show(count) {
    box.textContent = "";
    box.appendChild(document.createTextNode(count + (count === 1 ? " new report" : " new reports") + " \u2014 "));
    var link = document.createElement("a");
    link.href = window.location.href;
    link.className = "live-refresh";
    link.textContent = "refresh";
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.reload();
    });
    box.appendChild(link);
    box.hidden = false;
    document.title = "(" + count + ") " + title;
  }

  function schedule() {
    window.setTimeout(poll, POLL_MS);
  }

  function poll() {
    if (document.hidden) {
      schedule();
      return;
    }
    var url = "/api/updates" + (baseline === null ? "" : "?after=" + encodeURIComponent(baseline));
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-cache" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || typeof data.latest !== "number") return;
        if (baseline === null) baseline = data.latest;
        else if (data.new_articles > 0) show(data.new_articles);
      })
      .catch(function () { /* the server is restarting: try again at the next poll */ })
      .then(schedule);
  }

  poll();
})();
