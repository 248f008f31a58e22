/* Dossier page: draws the map and the timeline of a story's events from /api/stories/{id}.
 * Every string from the data goes into the page through textContent or an attribute set by
 * the DOM API; nothing is parsed as HTML. */
(function () {
  "use strict";

  var root = document.getElementById("dossier");
  if (!root) return;
  var storyId = root.getAttribute("data-story-id");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function spanHref(articleId, start, end) {
    return "/articles/" + encodeURIComponent(articleId) + "?hl=" + Number(start) + "-" + Number(end) + "#hl";
  }

  function label(e) {
    var s = e.type || "event";
    if (e.actor) s += ": " + e.actor;
    if (e.target) s += " → " + e.target;
    if (e.place && e.place.name) s += " at " + e.place.name;
    return s;
  }

  /* Known only as "before publication": no start, the publication date as its end. */
  function openEnded(t) {
    return !!(t && !t.start && t.end && t.precision === "before_publication");
  }

  function when(t) {
    if (openEnded(t)) return "before " + t.end + " (publication)";
    if (!t || !t.start) return "undated";
    var s = t.start;
    if (t.end && t.end !== t.start) s += " – " + t.end;
    return s + " (" + (t.precision || "?") + ")";
  }

  /* Story events (corroborated) when the story has them, else each article event. Each row
   * knows which article and trigger span to open. */
  function eventRows(story) {
    var byId = {};
    (story.article_events || []).forEach(function (e) { byId[e.id] = e; });
    var rows = [];
    if (story.events && story.events.length) {
      story.events.forEach(function (se) {
        var ids = se.event_ids && se.event_ids.length ? se.event_ids : [se.id];
        var member = null;
        for (var i = 0; i < ids.length && !member; i++) member = byId[ids[i]] || null;
        var src = member || se;
        rows.push({ e: se, articleId: src.article_id || (se.article_ids || [])[0], trigger: src.trigger || {} });
      });
    } else {
      Object.keys(byId).forEach(function (k) {
        var e = byId[k];
        rows.push({ e: e, articleId: e.article_id, trigger: e.trigger || {} });
      });
    }
    return rows;
  }

  function eventLink(row, text, cls) {
    var a = el("a", cls, text);
    if (row.articleId && row.trigger.start !== undefined && row.trigger.start !== null) {
      a.href = spanHref(row.articleId, row.trigger.start, row.trigger.end);
    }
    return a;
  }

  function drawMap(rows) {
    var box = document.getElementById("map");
    if (!box || typeof L === "undefined") return;
    var map = SitrepMap.base(box);

    var places = {};
    rows.forEach(function (row) {
      var p = row.e.place;
      if (!p || p.lat === null || p.lat === undefined || p.lon === null || p.lon === undefined) return;
      var key = Number(p.lat).toFixed(3) + "," + Number(p.lon).toFixed(3);
      (places[key] = places[key] || { lat: Number(p.lat), lon: Number(p.lon), name: p.resolved_name || p.name, rows: [] }).rows.push(row);
    });
    var keys = Object.keys(places);
    var points = keys.map(function (key) { return [places[key].lat, places[key].lon]; });
    box.setAttribute("data-markers", String(keys.length));
    if (!keys.length) {  // say so, rather than leave an empty map to be read as "nowhere"
      var note = el("p", "map-note", rows.length
        ? "None of this story's " + rows.length + " event" + (rows.length === 1 ? "" : "s") + " has a place on the map."
        : "This story has no events to map.");
      note.id = "map-note";
      box.parentNode.insertBefore(note, box);
    }
    if (points.length === 1) map.setView(points[0], 6, { animate: false });
    else if (points.length > 1) map.fitBounds(points, { padding: [40, 40], maxZoom: 6, animate: false });
    SitrepMap.cluster(map, box, keys.map(function (key) {
      var place = places[key];
      return { lat: place.lat, lon: place.lon, count: place.rows.length, key: key, place: place };
    }), function (item, layer, labelled) {
      var place = item.place;
      var marker = L.circleMarker([place.lat, place.lon], {
        radius: 7 + Math.min(place.rows.length, 5), className: "event-marker",
        color: "#b3261e", weight: 2, fillColor: "#e4572e", fillOpacity: 0.8
      }).addTo(layer);
      var node = marker.getElement && marker.getElement();
      if (node) {  // where the marker stands, for tests and for assistive tools
        node.setAttribute("data-lat", String(place.lat));
        node.setAttribute("data-lon", String(place.lon));
        node.setAttribute("data-name", place.name || "");
      }
      var popup = el("div", "popup");
      popup.appendChild(el("strong", null, place.name || item.key));
      var list = el("ul");
      place.rows.forEach(function (row) {
        var li = el("li");
        li.appendChild(eventLink(row, label(row.e) + " — " + when(row.e.time)));
        list.appendChild(li);
      });
      popup.appendChild(list);
      marker.bindPopup(popup);
      marker.bindTooltip(el("span", "marker-label", place.name || item.key), { permanent: labelled, direction: "right", offset: [8, 0] });
    });
  }

  function dayNumber(iso) {
    var p = String(iso).split("-");
    return Date.UTC(Number(p[0]), Number(p[1]) - 1, Number(p[2])) / 86400000;
  }

  function isoOf(day) {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  /* Month (or, over long spans, year) boundaries under the axis, so a bar's extent reads as
   * "all of January" at a glance. */
  function ticks(lo, hi, total) {
    var row = el("div", "tl-ticks");
    var start = new Date(lo * 86400000), end = new Date(hi * 86400000);
    var months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
    var step = months > 24 ? 12 : 1;
    var y = start.getUTCFullYear(), m = start.getUTCMonth();
    for (var i = 0; i <= months + 1; i++) {
      var day = Date.UTC(y, m + i, 1) / 86400000;
      if (day < lo || day > hi) continue;
      var d = new Date(day * 86400000);
      if (step === 12 && d.getUTCMonth() !== 0) continue;
      var tick = el("span", "tl-tick", step === 12 ? String(d.getUTCFullYear()) : isoOf(day).slice(0, 7));
      tick.style.left = ((day - lo) / total * 100).toFixed(3) + "%";
      row.appendChild(tick);
    }
    return row;
  }

  /* One row per event; the bar covers the event's whole interval, so a month-precise event is
   * as wide as its month and a day event is one day wide. */
  function drawTimeline(rows) {
    var box = document.getElementById("timeline");
    if (!box) return;
    var dated = rows.filter(function (r) { return r.e.time && r.e.time.start; });
    var before = rows.filter(function (r) { return openEnded(r.e.time); });
    var undated = rows.filter(function (r) { return !(r.e.time && r.e.time.start) && !openEnded(r.e.time); });
    if (dated.length || before.length) {
      var lo = Infinity, hi = -Infinity;
      dated.forEach(function (r) {
        var s = dayNumber(r.e.time.start), e = dayNumber(r.e.time.end || r.e.time.start);
        r.s = s; r.e2 = Math.max(s, e);
        lo = Math.min(lo, s); hi = Math.max(hi, r.e2);
      });
      before.forEach(function (r) { r.e2 = dayNumber(r.e.time.end); hi = Math.max(hi, r.e2); });
      // with nothing dated to start the axis, show the month before the earliest publication
      if (lo === Infinity) before.forEach(function (r) { lo = Math.min(lo, r.e2 - 30); });
      before.forEach(function (r) { r.s = lo; });
      var total = hi - lo + 1;
      var axis = el("div", "tl-axis");
      axis.appendChild(el("span", "tl-axis-start", isoOf(lo)));
      axis.appendChild(el("span", "tl-axis-end", isoOf(hi)));
      box.appendChild(axis);
      box.appendChild(ticks(lo, hi, total));
      var drawn = dated.concat(before);
      drawn.sort(function (a, b) { return a.s - b.s || a.e2 - b.e2; });
      drawn.forEach(function (r) {
        var precision = r.e.time.precision || "unknown";
        var open = openEnded(r.e.time);
        var entry = el("div", "tl-entry tl-" + precision);
        entry.setAttribute("data-precision", precision);
        if (!open) entry.setAttribute("data-start", r.e.time.start);
        entry.setAttribute("data-end", r.e.time.end || r.e.time.start);
        entry.appendChild(eventLink(r, label(r.e), "tl-label"));
        entry.appendChild(el("span", "tl-when", when(r.e.time)));
        var track = el("div", "tl-track");
        // an open-ended bar runs from the axis start and fades in towards the publication date:
        // it happened some time up to then, nobody says when
        var bar = el("div", "tl-bar tl-bar-" + precision + (open ? " tl-bar-open" : ""));
        bar.style.left = ((r.s - lo) / total * 100).toFixed(3) + "%";
        bar.style.width = ((r.e2 - r.s + 1) / total * 100).toFixed(3) + "%";
        bar.title = when(r.e.time);
        track.appendChild(bar);
        entry.appendChild(track);
        box.appendChild(entry);
      });
    }
    if (undated.length) {
      var rest = el("div", "tl-undated");
      rest.appendChild(el("h3", null, "Undated"));
      undated.forEach(function (r) {
        var entry = el("div", "tl-entry tl-unknown");
        entry.setAttribute("data-precision", "unknown");
        entry.appendChild(eventLink(r, label(r.e), "tl-label"));
        rest.appendChild(entry);
      });
      box.appendChild(rest);
    }
    if (!rows.length) box.appendChild(el("p", "empty", "No events."));
    box.setAttribute("data-ready", "1");
  }

  fetch("/api/stories/" + encodeURIComponent(storyId))
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(function (story) {
      var rows = eventRows(story);
      drawTimeline(rows);
      drawMap(rows);
    })
    .catch(function (err) {
      var box = document.getElementById("timeline");
      if (box) box.appendChild(el("p", "error-message", "Could not load the story: " + err.message));
    });
})();
