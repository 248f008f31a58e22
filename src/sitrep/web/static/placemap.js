/* A map of the places listed on the page: each <li data-lat data-lon data-name> under a list
 * whose id the map's data-places names becomes a marker. The list stays as the accessible,
 * escaped text version; names reach the map through textContent only. */
(function () {
  "use strict";

  document.querySelectorAll("[data-places]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("data-places"));
    if (!list || typeof L === "undefined") return;
    var map = SitrepMap.base(box);
    var byKey = {};
    list.querySelectorAll("li[data-lat]").forEach(function (li) {
      var lat = Number(li.getAttribute("data-lat")), lon = Number(li.getAttribute("data-lon"));
      if (!isFinite(lat) || !isFinite(lon)) return;
      var key = lat.toFixed(3) + "," + lon.toFixed(3);
      (byKey[key] = byKey[key] || { lat: lat, lon: lon, name: li.getAttribute("data-name") || key, n: 0 }).n += 1;
    });
    var items = Object.keys(byKey).map(function (key) { var p = byKey[key]; return { lat: p.lat, lon: p.lon, count: p.n, name: p.name }; });
    var points = items.map(function (p) { return [p.lat, p.lon]; });
    box.setAttribute("data-markers", String(points.length));
    if (points.length === 1) map.setView(points[0], 6, { animate: false });
    else if (points.length > 1) map.fitBounds(points, { padding: [40, 40], maxZoom: 6, animate: false });
    SitrepMap.cluster(map, box, items, function (p, layer, labelled) {
      var marker = L.circleMarker([p.lat, p.lon], {
        radius: 6 + Math.min(p.count, 6), className: "place-marker",
        color: "#1a56a8", weight: 2, fillColor: "#4a7fd0", fillOpacity: 0.8
      }).addTo(layer);
      SitrepMap.label(marker, p.name + (p.count > 1 ? " (" + p.count + ")" : ""), p.count, labelled);
    });
  });
})();
