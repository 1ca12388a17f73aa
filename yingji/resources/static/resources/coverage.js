// Coverage map: the child places coloured by per-capita shelter area against the target.
(function () {
  "use strict";
  const el = document.getElementById("cov-config");
  if (!el || typeof L === "undefined") return;
  const cfg = JSON.parse(el.textContent);
  const map = L.map("cov-map", { minZoom: 5, maxZoom: 18 });
  map.attributionControl.setPrefix(false);
  map.setView([32.0, 120.9], 9);
  const colour = (r) => (r.meets === true ? "#2b8a3e" : r.meets === false ? "#c92a2a" : "#868e96");
  fetch(cfg.placesUrl + "?" + new URLSearchParams({ level: cfg.level }), { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : { features: [] }))
    .then((data) => {
      const features = (data.features || []).filter((f) => String(f.id) in cfg.rows);
      if (!features.length) return;
      const layer = L.geoJSON({ type: "FeatureCollection", features }, {
        style: (f) => ({ color: "#343a40", weight: 1, fillColor: colour(cfg.rows[String(f.id)]), fillOpacity: 0.45 }),
        onEachFeature: (f, sub) => {
          const r = cfg.rows[String(f.id)];
          const text = r.perCapita === null ? cfg.text.none : `${cfg.text.perCapita} ${r.perCapita} m² (${cfg.text.target} ${cfg.target})`;
          sub.bindTooltip(`${r.name}: ${text}`, { sticky: true });
          sub.on("click", () => { window.location.href = r.url; });
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    })
    .catch(() => {});
})();
