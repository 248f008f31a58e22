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

  /* One page of story events (each carries its first member's article and trigger), as the
   * paged /api/stories/{id} sends them. */
  function eventRows(story) {
    return (story.events || []).map(function (se) {
      return { e: se, articleId: se.article_id || (se.article_ids || [])[0], trigger: se.trigger || {} };
    });
  }

  function eventLink(row, text, cls) {
    var a = el("a", cls, text);
    if (row.articleId && row.trigger.start !== undefined && row.trigger.start !== null) {
      a.href = spanHref(row.articleId, row.trigger.start, row.trigger.end);
    }
    return a;
  }

  /* The map from /api/stories/{id}/places: the story's events already counted by place on the
   * server (at most a few hundred places, whatever the story's size), each with its first events. */
  function drawMap(data, eventsTotal) {
    var box = document.getElementById("map");
    if (!box || typeof L === "undefined") return;
    var map = SitrepMap.base(box);
    var places = (data.places || []).filter(function (p) { return isFinite(Number(p.lat)) && isFinite(Number(p.lon)); });
    var points = places.map(function (p) { return [Number(p.lat), Number(p.lon)]; });
    box.setAttribute("data-markers", String(places.length));
    var note = null;
    if (!places.length) {  // say so, rather than leave an empty map to be read as "nowhere"
      note = el("p", "map-note", eventsTotal
        ? "None of this story's " + eventsTotal + " event" + (eventsTotal === 1 ? "" : "s") + " has a place on the map."
        : "This story has no events to map.");
    } else if (data.places_total > places.length) {
      note = el("p", "map-note", "The " + places.length + " places with most events of " + data.places_total + ".");
    }
    if (note) {
      note.id = "map-note";
      box.parentNode.insertBefore(note, box);
    }
    if (points.length === 1) map.setView(points[0], 6, { animate: false });
    else if (points.length > 1) map.fitBounds(points, { padding: [40, 40], maxZoom: 6, animate: false });
    SitrepMap.cluster(map, box, places.map(function (p) {
      return { lat: Number(p.lat), lon: Number(p.lon), count: Number(p.count) || 1, name: p.name || "", place: p };
    }), function (item, layer, labelled) {
      var place = item.place;
      var marker = L.circleMarker([item.lat, item.lon], {
        radius: 7 + Math.min(item.count, 5), className: "event-marker",
        color: "#b3261e", weight: 2, fillColor: "#e4572e", fillOpacity: 0.8
      }).addTo(layer);
      var node = marker.getElement && marker.getElement();
      if (node) {  // where the marker stands, for tests and for assistive tools
        node.setAttribute("data-lat", String(item.lat));
        node.setAttribute("data-lon", String(item.lon));
        node.setAttribute("data-name", item.name);
      }
      var popup = el("div", "popup");
      popup.appendChild(el("strong", null, item.name || (item.lat + ", " + item.lon)));
      var list = el("ul");
      (place.events || []).forEach(function (e) {
        var li = el("li");
        li.appendChild(eventLink(eventRows({ events: [e] })[0], label(e) + " — " + when(e.time)));
        list.appendChild(li);
      });
      popup.appendChild(list);
      if (item.count > (place.events || []).length) {
        popup.appendChild(el("p", "more", "and " + (item.count - place.events.length) + " more events here"));
      }
      marker.bindPopup(popup);
      SitrepMap.label(marker, item.name || (item.lat + ", " + item.lon), item.count, labelled);
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

  function getJSON(url) {
    return fetch(url).then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); });
  }

  /* The page names the JSON its first view draws from (one page of events, the places). */
  var urls = (root.getAttribute("data-first-view") || "").split(" ").filter(Boolean);
  if (urls.length < 2) {
    urls = ["/api/stories/" + encodeURIComponent(storyId) + "?claims_limit=0&articles_limit=0",
            "/api/stories/" + encodeURIComponent(storyId) + "/places"];
  }
  Promise.all([getJSON(urls[0]), getJSON(urls[1])])
    .then(function (got) {
      var story = got[0], page = story.page || {};
      var rows = eventRows(story);
      var total = page.events_total !== undefined ? page.events_total : rows.length;
      var box = document.getElementById("timeline");
      if (box && total > rows.length) {
        var from = (page.events_offset || 0) + 1;
        box.appendChild(el("p", "tl-note", "Events " + from + "–" + (from + rows.length - 1) + " of " + total +
          " by date, as in the event table below; its pages turn this one."));
      }
      drawTimeline(rows);
      drawMap(got[1], total);
    })
    .catch(function (err) {
      var box = document.getElementById("timeline");
      if (box) box.appendChild(el("p", "error-message", "Could not load the story: " + err.message));
    });
})();
