// Enterprise risk page: the small location map (Leaflet, offline tiles if configured) and placing
// risk points on the site plan by clicking on it. Data come from the "risk-plan-data" json_script.
(function () {
  "use strict";
  const dataEl = document.getElementById("risk-plan-data");
  if (!dataEl) return;
  const data = JSON.parse(dataEl.textContent);

  // --- small map -------------------------------------------------------------------------------
  const mapEl = document.getElementById("risk-map");
  if (mapEl) {
    const m = data.map;
    if (typeof L === "undefined" || m.lat === null || m.lon === null) {
      mapEl.classList.add("d-none");
    } else {
      const map = L.map(mapEl, { zoomControl: true, attributionControl: !!m.tileUrl }).setView([m.lat, m.lon], 15);
      if (m.tileUrl) L.tileLayer(m.tileUrl, { attribution: m.tileAttribution, maxZoom: 19 }).addTo(map);
      L.circleMarker([m.lat, m.lon], { radius: 9, color: "#fff", weight: 2, fillColor: m.colour, fillOpacity: 1 })
        .addTo(map).bindTooltip(m.name);
    }
  }

  // --- placing points on the site plan ----------------------------------------------------------
  const img = document.getElementById("site-plan");
  const form = document.getElementById("place-form");
  if (!img || !form || !data.canPlace) return;
  const select = document.getElementById("place-point");
  const hint = document.getElementById("place-hint");
  const byId = {};
  data.points.forEach((p) => { byId[String(p.id)] = p; });
  select.addEventListener("change", () => {
    const p = byId[select.value];
    hint.textContent = p ? data.text.placing.replace("%(name)s", p.name) : data.text.choose;
  });
  document.querySelectorAll(".risk-dot[data-point]").forEach((dot) => {
    dot.addEventListener("click", (event) => {
      if (select.value) { event.preventDefault(); }
    });
  });
  img.addEventListener("click", (event) => {
    if (!select.value) { hint.textContent = data.text.choose; return; }
    const rect = img.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * 100;
    const y = ((event.clientY - rect.top) / rect.height) * 100;
    document.getElementById("place-x").value = x.toFixed(2);
    document.getElementById("place-y").value = y.toFixed(2);
    const dot = document.createElement("span");
    dot.className = "risk-dot risk-dot-new";
    dot.style.left = x + "%";
    dot.style.top = y + "%";
    dot.style.background = byId[select.value].colour;
    img.parentElement.appendChild(dot);
    form.submit();
  });
})();
