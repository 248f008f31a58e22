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

  window.SitrepMap = { base: base };
})();
