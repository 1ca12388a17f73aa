// The resources map "资源一张图" (Leaflet, offline). Configuration and texts come from the
// "res-map-config" json_script; layers from /api/v1/resources/map/<layer>/ (scoped GeoJSON, per view);
// a click on the map asks /api/v1/resources/nearest/ and draws the answer. No inline code (CSP).
(function () {
  "use strict";
  const configEl = document.getElementById("res-map-config");
  if (!configEl || typeof L === "undefined") return;
  const cfg = JSON.parse(configEl.textContent);
  const T = cfg.text;
  const MAX_LIST = 300;
  const collator = new Intl.Collator("zh-Hans-CN");
  const fmt = (s, v) => s.replace(/\{(\w+)\}/g, (m, k) => (k in v ? v[k] : m));
  const $ = (id) => document.getElementById(id);

  const map = L.map("res-map", { preferCanvas: false, minZoom: 5, maxZoom: 19 });
  map.attributionControl.setPrefix(false);
  const hash = window.location.hash.replace("#", "").split(",").map(Number);
  if (hash.length === 2 && hash.every(Number.isFinite)) map.setView([hash[0], hash[1]], 15);
  else if (cfg.bounds) map.fitBounds(cfg.bounds, { padding: [8, 8] });
  else map.setView(cfg.centre, cfg.zoom);
  const bases = {};
  if (cfg.tileUrl) {
    bases["底图"] = L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  const control = L.control.layers(bases, {}, { collapsed: window.innerWidth < 992 }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  const statusEl = $("res-status");
  const listEl = $("res-list");
  let failure = "";
  function setStatus(text) { statusEl.textContent = failure || text || ""; }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((r) =>
      r.json().then((body) => {
        if (!r.ok) {
          const msg = body && body.error ? body.error.message : String(r.status);
          throw new Error(msg);
        }
        return body;
      })
    );
  }
  const withParams = (url, params) => {
    const clean = {};
    Object.entries(params).forEach(([k, v]) => { if (v !== "" && v !== null && v !== undefined) clean[k] = v; });
    return url + "?" + new URLSearchParams(clean).toString();
  };

  // --- Filters --------------------------------------------------------------------------------------
  const val = (id) => ($(id) ? $(id).value.trim() : "");
  function layerFilters(code) {
    if (code === "teams") return { team_kind: val("res-team-kind"), capability: val("res-capability") };
    return {};
  }

  // --- Layers -----------------------------------------------------------------------------------------
  const layers = cfg.layers.map((l) => ({ ...l, group: L.layerGroup().addTo(map), features: [], seq: 0, truncated: false }));
  const markers = new Map(); // "layer:id" -> marker
  let activeKey = null;

  function dot(colour) {
    const s = document.createElement("span");
    s.className = "yj-res-dot";
    s.style.background = colour;
    return s;
  }
  function popupHtml(p) {
    const div = document.createElement("div");
    const a = document.createElement("a");
    a.className = "fw-bold";
    a.href = p.url || "#";
    a.textContent = p.name;
    div.append(a);
    if (p.summary) {
      const s = document.createElement("div");
      s.className = "text-secondary";
      s.textContent = p.summary;
      div.append(s);
    }
    if (p.place_name) {
      const s = document.createElement("div");
      s.className = "text-secondary";
      s.textContent = p.place_name;
      div.append(s);
    }
    return div;
  }
  function highlight(key, scroll) {
    activeKey = key;
    listEl.querySelectorAll(".yj-res-row").forEach((row) => {
      const on = row.dataset.key === key;
      row.classList.toggle("active", on);
      if (on && scroll) row.scrollIntoView({ block: "nearest" });
    });
  }
  layers.forEach((l) => {
    const label = document.createElement("span");
    label.append(dot(l.colour), document.createTextNode(l.label));
    control.addOverlay(l.group, label.innerHTML);
  });

  function loadLayer(l) {
    if (!map.hasLayer(l.group)) return Promise.resolve();
    const b = map.getBounds().pad(0.1);
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
    const seq = ++l.seq;
    return getJSON(withParams(l.url, Object.assign({ bbox }, layerFilters(l.code))))
      .then((data) => {
        if (seq !== l.seq) return;
        l.group.clearLayers();
        l.truncated = Boolean(data.truncated);
        l.features = data.features || [];
        l.features.forEach((f) => {
          const [lon, lat] = f.geometry.coordinates;
          const key = `${l.code}:${f.properties.id}`;
          const m = L.circleMarker([lat, lon], {
            radius: 7, weight: 1.5, color: "#ffffff", fillColor: f.properties.color || l.colour, fillOpacity: 0.9,
            className: `res-marker res-marker-${l.code}`, bubblingMouseEvents: false,
          }).bindPopup(() => popupHtml(f.properties));
          m.on("click", () => highlight(key, true));
          m.addTo(l.group);
          markers.set(key, m);
        });
      })
      .catch((err) => { failure = fmt(T.loadFailed, { status: err.message }); });
  }
  function reloadAll() {
    setStatus(T.loading);
    Promise.all(layers.map(loadLayer)).then(refreshList);
  }

  // --- The side list, synchronised with the map --------------------------------------------------------
  function refreshList() {
    const q = val("res-q").toLowerCase();
    const bounds = map.getBounds();
    const rows = [];
    layers.forEach((l) => {
      if (!map.hasLayer(l.group)) return;
      l.features.forEach((f) => {
        const [lon, lat] = f.geometry.coordinates;
        if (!bounds.contains([lat, lon])) return;
        if (q && !f.properties.name.toLowerCase().includes(q)) return;
        rows.push({ l, f });
      });
    });
    rows.sort((a, b) => collator.compare(a.f.properties.name, b.f.properties.name));
    listEl.replaceChildren();
    rows.slice(0, MAX_LIST).forEach(({ l, f }) => {
      const p = f.properties;
      const key = `${l.code}:${p.id}`;
      const item = document.createElement("button");
      item.type = "button";
      item.className = "list-group-item list-group-item-action yj-res-row";
      item.dataset.key = key;
      item.dataset.kind = l.code;
      const name = document.createElement("span");
      name.textContent = p.name;
      const sub = document.createElement("div");
      sub.className = "text-secondary";
      sub.textContent = p.summary || "";
      item.append(dot(p.color || l.colour), name, sub);
      item.addEventListener("click", () => {
        const m = markers.get(key);
        if (!m) return;
        map.setView(m.getLatLng(), Math.max(map.getZoom(), 14));
        m.openPopup();
        highlight(key, false);
      });
      listEl.append(item);
    });
    if (activeKey) highlight(activeKey, false);
    const cut = layers.find((l) => l.truncated && map.hasLayer(l.group));
    if (!layers.some((l) => map.hasLayer(l.group))) setStatus(T.noLayer);
    else if (cut) setStatus(fmt(T.truncated, { layer: cut.label, n: cut.features.length }));
    else setStatus(fmt(T.inView, { n: rows.length }) + (rows.length > MAX_LIST ? fmt(T.showingFirst, { n: MAX_LIST }) : ""));
  }

  // --- Nearest search on click -------------------------------------------------------------------------
  const nearestBox = $("res-nearest");
  const nearestList = $("res-nearest-list");
  const nearestLayer = L.layerGroup().addTo(map);
  function distanceText(m) {
    return m >= 1000 ? `${(m / 1000).toFixed(2)} ${T.km}` : `${Math.round(m)} ${T.m}`;
  }
  function nearestRow(kind, r) {
    const item = document.createElement("div");
    item.className = "list-group-item yj-res-row res-nearest-row";
    item.dataset.kind = kind;
    item.dataset.id = r.id;
    const title = document.createElement("a");
    title.href = r.url || "#";
    title.textContent = r.name;
    const dist = document.createElement("span");
    dist.className = "text-secondary ms-1";
    dist.textContent = `${T.distance} ${distanceText(r.distance_m)}`;
    item.append(title, dist);
    const extra = document.createElement("div");
    extra.className = "text-secondary";
    if (kind === "shelter") extra.textContent = `${T.free} ${r.free_capacity}/${r.capacity}`;
    if (kind === "material" && r.available !== undefined) extra.textContent = `${T.available} ${r.available}`;
    if (kind === "team") extra.textContent = `${cfg.teamKinds[r.team_kind] || r.team_kind} · ${cfg.readiness[r.readiness] || r.readiness}`;
    if (extra.textContent) item.append(extra);
    if (kind === "material" && r.issue_url) {
      const a = document.createElement("a");
      a.className = "btn btn-outline-primary btn-sm mt-1 res-issue";
      a.href = r.issue_url;
      a.textContent = T.issueHere;
      item.append(a);
    }
    item.addEventListener("mouseenter", () => map.panTo([r.latitude, r.longitude]));
    return item;
  }
  function showNearest(lat, lon) {
    nearestLayer.clearLayers();
    L.circleMarker([lat, lon], { radius: 8, weight: 3, color: "#b3261e", fill: true, fillOpacity: 0.3, className: "res-origin" })
      .bindTooltip(T.origin).addTo(nearestLayer);
    nearestBox.classList.remove("d-none");
    $("res-nearest-title").textContent = T.searching;
    nearestList.replaceChildren();
    const params = {
      longitude: lon.toFixed(6), latitude: lat.toFixed(6), limit: cfg.limit,
      team_kind: val("res-team-kind"), capability: val("res-capability"),
      item: val("res-item"), quantity: val("res-item") ? val("res-quantity") : "", capacity: val("res-capacity"),
    };
    getJSON(withParams(cfg.nearestUrl, params))
      .then((data) => {
        $("res-nearest-title").textContent = T.nearestTitle;
        Object.entries(data.results).forEach(([kind, rows]) => {
          const head = document.createElement("div");
          head.className = "list-group-item fw-bold bg-light res-nearest-head";
          head.dataset.kind = kind;
          head.textContent = `${T.kindNames[kind] || kind} (${rows.length})`;
          nearestList.append(head);
          if (!rows.length) {
            const none = document.createElement("div");
            none.className = "list-group-item text-secondary";
            none.textContent = T.none;
            nearestList.append(none);
          }
          rows.forEach((r) => {
            nearestList.append(nearestRow(kind, r));
            L.polyline([[lat, lon], [r.latitude, r.longitude]], { color: "#b3261e", weight: 1, opacity: 0.5, dashArray: "4 4" })
              .addTo(nearestLayer);
            L.circleMarker([r.latitude, r.longitude], {
              radius: 10, weight: 2, color: "#b3261e", fill: false, className: "res-nearest-marker", bubblingMouseEvents: false,
            })
              .bindPopup(() => popupHtml({ name: r.name, url: r.url, summary: `${T.distance} ${distanceText(r.distance_m)}` }))
              .addTo(nearestLayer);
          });
        });
      })
      .catch((err) => { $("res-nearest-title").textContent = err.message; });
  }
  map.on("click", (e) => showNearest(e.latlng.lat, e.latlng.lng));
  $("res-nearest-clear").addEventListener("click", () => {
    nearestLayer.clearLayers();
    nearestBox.classList.add("d-none");
  });

  // --- Wiring -----------------------------------------------------------------------------------------
  let timer = null;
  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(reloadAll, 200);
  });
  map.on("overlayadd", (e) => {
    const l = layers.find((x) => x.group === e.layer);
    if (l) loadLayer(l).then(refreshList);
  });
  map.on("overlayremove", refreshList);
  $("res-q").addEventListener("input", refreshList);
  ["res-team-kind", "res-capability"].forEach((id) => $(id).addEventListener("change", reloadAll));
  $("res-filters").addEventListener("submit", (e) => e.preventDefault());
  setStatus(T.clickHint);
  reloadAll();
})();
