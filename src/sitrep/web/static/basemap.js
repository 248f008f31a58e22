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
   * zooms in on them when clicked. Labels stay readable because crowded squares are merged
   * before their labels could overlap. Sets data-clusters on the map box to the number drawn. */
  var CELL = 48;

  function cluster(map, box, places, drawOne) {
    var layer = L.layerGroup().addTo(map);
    function render() {
      layer.clearLayers();
      var zoom = map.getZoom(), cells = {}, order = [];
      places.forEach(function (p) {
        var pt = map.project([p.lat, p.lon], zoom);
        var key = Math.floor(pt.x / CELL) + ":" + Math.floor(pt.y / CELL);
        if (!cells[key]) { cells[key] = []; order.push(key); }
        cells[key].push(p);
      });
      var singles = order.filter(function (k) { return cells[k].length === 1; }).length;
      var clusters = 0;
      order.forEach(function (key) {
        var members = cells[key];
        if (members.length === 1) { drawOne(members[0], layer, singles <= 8); return; }
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
    }
    map.on("zoomend", render);
    render();
  }

  window.SitrepMap = { base: base, cluster: cluster };
})();
