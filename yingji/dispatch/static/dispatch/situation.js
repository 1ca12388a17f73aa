// The incident situation map "态势图" (Leaflet, offline: an optional tile layer from the settings, the
// village boundaries as the base). Data: GeoJSON from the "situation-config" dataUrl; figures per ring
// go into #ring-table. No inline code (CSP).
(function () {
  "use strict";
  const el = document.getElementById("situation-config");
  if (!el || typeof L === "undefined") return;
  const cfg = JSON.parse(el.textContent);
  const T = cfg.text;
  const $ = (id) => document.getElementById(id);
  const COLOURS = {
    team: "#1971c2", expert: "#ae3ec9", equipment: "#0c8599", shelter: "#5c940d", material: "#2f9e44",
  };
  const STATUS_COLOURS = {
    dispatched: "#f08c00", acknowledged: "#1098ad", in_progress: "#1971c2", completed: "#2f9e44", cancelled: "#868e96",
  };
  const RING_COLOURS = ["#e03131", "#f76707", "#f59f00", "#1c7ed6", "#7048e8", "#495057"];

  const map = L.map("situation-map", { minZoom: 5, maxZoom: 19 });
  map.attributionControl.setPrefix(false);
  const bases = {};
  if (cfg.tileUrl) {
    bases["底图"] = L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);
  const groups = {
    villages: L.layerGroup().addTo(map),
    rings: L.layerGroup().addTo(map),
    resources: L.layerGroup().addTo(map),
    teams: L.layerGroup().addTo(map),
    incident: L.layerGroup().addTo(map),
  };
  L.control.layers(bases, {
    [T.villages]: groups.villages, [T.rings]: groups.rings, [T.resources]: groups.resources, [T.teams]: groups.teams,
  }, { collapsed: window.innerWidth < 992 }).addTo(map);

  const statusEl = $("situation-status");
  const listEl = $("situation-list");
  const km = (m) => (m / 1000).toFixed(m < 10000 ? 2 : 1) + T.km;
  statusEl.textContent = T.loading;

  function popup(lines, url) {
    const div = document.createElement("div");
    lines.forEach((text, i) => {
      const node = document.createElement(i === 0 && url ? "a" : "div");
      if (i === 0) node.className = "fw-bold";
      if (i === 0 && url) node.href = url;
      node.textContent = text;
      div.append(node);
    });
    return div;
  }
  function listItem(colour, title, detail, url, latlng) {
    const a = document.createElement("a");
    a.className = "list-group-item list-group-item-action py-1";
    a.href = url || "#";
    const dot = document.createElement("span");
    dot.className = "yj-sit-dot";
    dot.style.background = colour;
    a.append(dot, document.createTextNode(title));
    const small = document.createElement("span");
    small.className = "text-secondary ms-1";
    small.textContent = detail;
    a.append(small);
    a.addEventListener("mouseenter", () => map.panTo(latlng));
    listEl.append(a);
  }

  function draw(data) {
    Object.values(groups).forEach((g) => g.clearLayers());
    listEl.replaceChildren();
    const tbody = document.querySelector("#ring-table tbody");
    tbody.replaceChildren();
    (data.summary.rings || []).forEach((r) => {
      const tr = document.createElement("tr");
      [r.radius_km + T.km, r.villages, r.population.toLocaleString("zh-CN") + T.persons, r.unknown].forEach((v) => {
        const td = document.createElement("td");
        td.textContent = String(v);
        tr.append(td);
      });
      tbody.append(tr);
    });
    const centre = [data.summary.centre[1], data.summary.centre[0]];
    let ringIndex = 0;
    const ringCount = (data.summary.rings || []).length;
    data.features.forEach((f) => {
      const p = f.properties;
      if (p.role === "ring") {
        const colour = RING_COLOURS[(ringCount - 1 - ringIndex++) % RING_COLOURS.length];
        L.geoJSON(f, { style: { color: colour, weight: 2, fill: false, dashArray: "6 4" } })
          .bindTooltip(p.name + " · " + p.villages + " " + T.villages + " · " + p.population + T.persons)
          .addTo(groups.rings);
      } else if (p.role === "village") {
        L.geoJSON(f, {
          style: { color: "#868e96", weight: 1, fillColor: "#adb5bd", fillOpacity: 0.12 },
          pointToLayer: (_g, ll) => L.circleMarker(ll, { radius: 3, color: "#868e96" }),
        }).bindPopup(popup([p.name, T.population + "：" + (p.population === null ? T.unknown : p.population + T.persons), T.distance + "：" + km(p.distance_m)]))
          .addTo(groups.villages);
      } else if (p.role === "resource") {
        const ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        const colour = COLOURS[p.kind] || "#495057";
        L.circleMarker(ll, { radius: 6, color: colour, fillColor: colour, fillOpacity: 0.7 })
          .bindPopup(popup([p.name, (T.kinds[p.kind] || p.kind) + " · " + km(p.distance_m)], p.url))
          .addTo(groups.resources);
        listItem(colour, p.name, (T.kinds[p.kind] || p.kind) + " · " + km(p.distance_m), p.url, ll);
      } else if (p.role === "dispatched_team") {
        const ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        const colour = STATUS_COLOURS[p.status] || "#495057";
        L.polyline([ll, centre], { color: colour, weight: 3, dashArray: p.arrived ? null : "4 6" }).addTo(groups.teams);
        L.circleMarker(ll, { radius: 8, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 1 })
          .bindPopup(popup([p.name, p.status_label + " · " + km(p.distance_m)], p.url))
          .addTo(groups.teams);
        listItem(colour, p.name, p.status_label, p.url, ll);
      } else if (p.role === "incident" || p.role === "command_post") {
        const ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        const colour = p.role === "incident" ? "#c92a2a" : "#364fc7";
        L.circleMarker(ll, { radius: 10, color: "#fff", weight: 3, fillColor: colour, fillOpacity: 1 })
          .bindPopup(popup([p.name, p.grade || "", p.address || ""].filter(Boolean), p.url))
          .addTo(groups.incident);
      }
    });
    const outer = Math.max(...data.summary.radii_km) * 1000;
    map.fitBounds(L.latLng(centre).toBounds(outer * 2.1));
    statusEl.textContent = "";
  }

  const url = cfg.dataUrl + "?" + new URLSearchParams({ radii: cfg.radii.join(",") }).toString();
  function load() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => r.json().then((body) => {
        if (!r.ok) throw new Error(body && body.error ? body.error.message : String(r.status));
        return body;
      }))
      .then(draw)
      .catch((e) => { statusEl.textContent = T.failed + e.message; });
  }
  map.setView([32.0, 120.9], 11);
  load();
})();
