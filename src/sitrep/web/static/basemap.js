/* The offline base map every page's map starts from: Natural Earth borders from the shipped
 * TopoJSON, no tiles, nothing fetched from outside. One home for it, so the dossier, the entity
 * page and the event browser draw the same world. Needs leaflet.js and topojson-client first. */
(function () {
  "use strict";

  function base(box) {
    var map = L.map(box, { worldCopyJump: true, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.setView([30, 40], 3);
    fetch("/static/vendor/countries-110m.json")
      .then(function (r) { return r.json(); })
      .then(function (topo) {
        var countries = topojson.feature(topo, topo.objects.countries);
        // Antarctica's ring runs along the pole and countries cut by the antimeridian (Russia,
        // Fiji) would be drawn as lines across the map: drop the first, unwrap the others.
        countries.features = countries.features.filter(function (f) { return String(f.id) !== "010"; });
        countries.features.forEach(function (f) {
          if (String(f.id) !== "643" && String(f.id) !== "242") return;
          var unwrap = function (c) { return typeof c[0] === "number" ? (c[0] < 0 ? [c[0] + 360, c[1]] : c) : c.map(unwrap); };
          f.geometry.coordinates = unwrap(f.geometry.coordinates);
        });
        var layer = L.geoJSON(countries, {
          interactive: false,
          style: { color: "#8a8f98", weight: 0.8, fillColor: "#eef0f3", fillOpacity: 1 }
        }).addTo(map);
        layer.bringToBack();
        map.attributionControl.addAttribution("Borders: Natural Earth");
      })
      .catch(function () { box.setAttribute("data-base-layer", "missing"); });
    return map;
  }

  /* Grid clustering, written here rather than fetched (no downloads at run time): at each zoom
   * the places are binned by the CELL-pixel square they fall in; a square holding one place
   * draws it with drawOne(place, layer), a square holding several draws one numbered circle that
   * zooms in on them when clicked. Crowded squares are merged, and what still collides after
   * that (a long name reaching into the next square) is settled by declutter(). Sets
   * data-clusters on the map box to the number drawn. */
  var CELL = 48;

  function cluster(map, box, places, drawOne) {
    var layer = L.layerGroup().addTo(map);
    function render() {
      // Leaflet fades a removed label out over 200 ms: mark the old ones so declutter skips them
      box.querySelectorAll(".leaflet-tooltip.map-label").forEach(function (n) { n.classList.add("label-stale"); });
      layer.clearLayers();
      var zoom = map.getZoom(), cells = {}, order = [];
      places.forEach(function (p) {
        var pt = map.project([p.lat, p.lon], zoom);
        var key = Math.floor(pt.x / CELL) + ":" + Math.floor(pt.y / CELL);
        if (!cells[key]) { cells[key] = []; order.push(key); }
        cells[key].push(p);
      });
      var clusters = 0;
      order.forEach(function (key) {
        var members = cells[key];
        if (members.length === 1) { drawOne(members[0], layer, true); return; }
        clusters += 1;
        var lat = 0, lon = 0, events = 0;
        members.forEach(function (p) { lat += p.lat; lon += p.lon; events += p.count || 1; });
        var marker = L.circleMarker([lat / members.length, lon / members.length], {
          radius: 12 + Math.min(members.length, 8), className: "cluster-marker",
          color: "#7a1b14", weight: 2, fillColor: "#b3261e", fillOpacity: 0.85
        }).addTo(layer);
        var node = marker.getElement && marker.getElement();
        if (node) node.setAttribute("data-places", String(members.length));
        var tip = document.createElement("span");
        tip.textContent = members.length + " places, " + events + " event" + (events === 1 ? "" : "s");
        marker.bindTooltip(tip, { direction: "top" });
        marker.on("click", function () {
          var bounds = L.latLngBounds(members.map(function (p) { return [p.lat, p.lon]; }));
          map.fitBounds(bounds.pad(0.5), { maxZoom: Math.max(zoom + 2, map.getBoundsZoom(bounds)) });
        });
      });
      box.setAttribute("data-clusters", String(clusters));
      declutter(box);
    }
    map.on("zoomend", render);
    map.on("moveend", function () { declutter(box); });
    render();
  }

  /* A place's name beside its marker: permanent when asked, carrying its priority (the number
   * of events there) for declutter(). The name goes in as text. */
  function label(marker, name, priority, permanent) {
    var span = document.createElement("span");
    span.className = "marker-label";
    span.textContent = name;
    span.setAttribute("data-priority", String(Number(priority) || 0));
    marker.bindTooltip(span, { permanent: permanent, direction: "right", offset: [8, 0], className: "map-label" });
  }

  /* The collision pass over the permanent labels: by priority (most events first, then name),
   * each label is shown only if its box meets no label already shown, with GAP pixels between;
   * the others are hidden (their marker still opens its popup, which names the place). Sets data-labels and
   * data-labels-hidden on the map box. */
  var GAP = 2;

  function declutter(box) {
    var labels = Array.prototype.slice.call(box.querySelectorAll(".leaflet-tooltip.map-label:not(.label-stale)"));
    var items = labels.map(function (node) {
      node.classList.remove("label-hidden");
      var span = node.querySelector(".marker-label");
      return { node: node, priority: Number(span && span.getAttribute("data-priority")) || 0,
               name: span ? span.textContent : "" };
    });
    items.sort(function (a, b) { return b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
    var shown = [], hidden = 0;
    items.forEach(function (item) {
      var r = item.node.getBoundingClientRect();
      var hit = shown.some(function (s) {
        return r.left < s.right + GAP && s.left < r.right + GAP && r.top < s.bottom + GAP && s.top < r.bottom + GAP;
      });
      if (hit) { item.node.classList.add("label-hidden"); hidden += 1; } else shown.push(r);
    });
    box.setAttribute("data-labels", String(shown.length));
    box.setAttribute("data-labels-hidden", String(hidden));
  }

  window.SitrepMap = { base: base, cluster: cluster, label: label, declutter: declutter };
})();
