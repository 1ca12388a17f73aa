// Public report form: pick the location on the map (or use the phone's position); fills the hidden
// longitude/latitude fields. Data comes from the json_script block "report-map-config".
(function () {
  "use strict";
  const el = document.getElementById("report-map");
  const cfgEl = document.getElementById("report-map-config");
  if (!el || !cfgEl || typeof L === "undefined") return;
  const cfg = JSON.parse(cfgEl.textContent);
  const lonInput = document.getElementById("id_longitude");
  const latInput = document.getElementById("id_latitude");
  const picked = document.getElementById("picked");
  const map = L.map(el, { minZoom: 6, maxZoom: 19 }).setView(cfg.center, 9);
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  (cfg.towns || []).forEach(function (t) {
    L.circleMarker([t.lat, t.lon], { radius: 3, color: "#6c757d", weight: 1 })
      .bindTooltip(t.name, { direction: "top" })
      .addTo(map);
  });
  let marker = null;
  function pick(lat, lon, zoom) {
    lat = Math.round(lat * 1e6) / 1e6;
    lon = Math.round(lon * 1e6) / 1e6;
    lonInput.value = lon;
    latInput.value = lat;
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.marker([lat, lon]).addTo(map);
    if (zoom) map.setView([lat, lon], zoom);
    picked.textContent = cfg.labels.picked + "：" + lon + ", " + lat;
  }
  if (lonInput.value && latInput.value) pick(parseFloat(latInput.value), parseFloat(lonInput.value), 13);
  map.on("click", function (e) { pick(e.latlng.lat, e.latlng.lng); });
  const button = document.getElementById("use-location");
  if (button) {
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { picked.textContent = cfg.labels.noGeo; return; }
      navigator.geolocation.getCurrentPosition(
        function (pos) { pick(pos.coords.latitude, pos.coords.longitude, 15); },
        function () { picked.textContent = cfg.labels.noGeo; },
        { enableHighAccuracy: true, timeout: 10000 }
      );
    });
  }
})();
