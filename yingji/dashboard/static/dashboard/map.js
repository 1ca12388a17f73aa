// The map "一张图" (Leaflet, offline). Configuration and every text shown come from the
// "map-config" json_script; layers come from the GeoJSON endpoints /api/v1/map/…, which apply
// the user's access scope. No inline code: CSP allows only the platform's own files.
(function () {
  "use strict";
  const configEl = document.getElementById("map-config");
  if (!configEl || typeof L === "undefined") return;
  const cfg = JSON.parse(configEl.textContent);
  const T = cfg.text;
  const MAX_LIST = 200;
  const collator = new Intl.Collator("zh-Hans-CN");

  const fmt = (s, values) => s.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (s) => String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
  const flagsByCode = {};
  cfg.flags.forEach((f) => { flagsByCode[f.code] = f; });

  // --- Map, panes (boundaries under points) and base layers ---------------------------------------
  const map = L.map("map", { preferCanvas: true, minZoom: 5, maxZoom: 19 });
  map.attributionControl.setPrefix(false);
  map.createPane("yjPlaces").style.zIndex = 410;
  map.createPane("yjPoints").style.zIndex = 450;
  const placeRenderer = L.canvas({ pane: "yjPlaces", padding: 0.3 });
  const pointRenderer = L.canvas({ pane: "yjPoints", padding: 0.3 });

  if (cfg.focus) map.setView([cfg.focus.lat, cfg.focus.lon], cfg.focusZoom);
  else if (cfg.bounds) map.fitBounds(cfg.bounds, { padding: [8, 8] });
  else map.setView(cfg.centre, cfg.zoom);

  const baseLayers = {};
  if (cfg.tileUrl) {
    baseLayers[esc(T.baseMap)] = L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map);
    baseLayers[esc(T.noBaseMap)] = L.layerGroup();
  }
  const control = L.control.layers(baseLayers, {}, { collapsed: window.innerWidth < 992 }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  // --- Status line (loading, errors, zoom hints) ---------------------------------------------------
  const Hint = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      this._div = L.DomUtil.create("div", "yj-maphint d-none");
      return this._div;
    },
    show(text) {
      this._div.textContent = text || "";
      this._div.classList.toggle("d-none", !text);
    },
  });
  const hint = new Hint().addTo(map);
  let pending = 0;
  let failure = "";
  let villageHint = "";
  let overlayHint = "";
  function updateHint() { hint.show(failure || (pending ? T.loading : villageHint || overlayHint)); }

  function fetchGeoJSON(url) {
    pending += 1;
    updateHint();
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then((r) => {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .catch((err) => {
        failure = fmt(T.loadFailed, { status: err.message });
        throw err;
      })
      .finally(() => {
        pending -= 1;
        updateHint();
      });
  }
  const withParams = (url, params) => url + "?" + new URLSearchParams(params).toString();

  // --- Administrative boundaries (行政区划) -------------------------------------------------------
  const PLACE_STYLE = {
    county: { color: "#343a40", weight: 2.5, opacity: 0.9 },
    town: { color: "#6c757d", weight: 1.4, opacity: 0.9, dashArray: "6 4" },
    village: { color: "#adb5bd", weight: 0.8, opacity: 0.9 },
  };
  function placePopup(p) {
    const url = cfg.placeUrl.replace("{id}", p.id);
    let html = `<a class="fw-bold" href="${esc(url)}">${esc(p.name)}</a><br>` +
      `<span class="text-secondary">${esc(T.code)}</span> ${esc(p.code)}`;
    if (p.population !== null && p.population !== undefined) {
      html += `<br><span class="text-secondary">${esc(T.population)}</span> ${esc(p.population.toLocaleString())}`;
    }
    return html;
  }
  const placeLayers = {};
  cfg.levels.forEach((level) => {
    const layer = L.geoJSON(null, {
      renderer: placeRenderer,
      pane: "yjPlaces",
      style: () => Object.assign({ fillColor: "#6c757d", fillOpacity: 0.03 }, PLACE_STYLE[level.code]),
      onEachFeature: (feature, sub) => {
        sub.bindTooltip(esc(feature.properties.name), { sticky: true, direction: "top" });
        sub.bindPopup(() => placePopup(feature.properties));
      },
    });
    placeLayers[level.code] = { layer, loaded: false };
    control.addOverlay(layer, `${esc(T.placesGroup)} · ${esc(level.label)}`);
    layer.addTo(map);
  });

  function orderPlaceLayers() {
    ["county", "town", "village"].forEach((code) => {
      const entry = placeLayers[code];
      if (entry && map.hasLayer(entry.layer)) entry.layer.bringToFront();
    });
  }
  function loadLevel(code) {
    const entry = placeLayers[code];
    if (!entry || entry.loaded || code === "village") return;
    entry.loaded = true;
    fetchGeoJSON(withParams(cfg.placesUrl, { level: code }))
      .then((data) => {
        entry.layer.addData(data);
        orderPlaceLayers();
      })
      .catch(() => { entry.loaded = false; });
  }

  // Villages are many: only fetched from VILLAGE_MIN_ZOOM on, for the current view.
  let villageRequest = 0;
  function refreshVillages() {
    const entry = placeLayers.village;
    if (!entry) return;
    if (!map.hasLayer(entry.layer)) {
      villageHint = "";
      updateHint();
      return;
    }
    if (map.getZoom() < cfg.villageMinZoom) {
      entry.layer.clearLayers();
      villageHint = T.zoomForVillages;
      updateHint();
      return;
    }
    villageHint = "";
    const b = map.getBounds().pad(0.25);
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
    const ticket = ++villageRequest;
    fetchGeoJSON(withParams(cfg.placesUrl, { level: "village", bbox }))
      .then((data) => {
        if (ticket !== villageRequest) return;
        entry.layer.clearLayers();
        entry.layer.addData(data);
        orderPlaceLayers();
      })
      .catch(() => {});
  }

  // --- Enterprises (企业), one overlay per risk flag plus "all" -----------------------------------
  let features = [];
  const byId = new Map();
  const groups = {};
  function groupColour(key, p) {
    if (key !== "all") return flagsByCode[key].colour;
    return p.risk_flags.some((c) => flagsByCode[c] && flagsByCode[c].major) ? cfg.majorColour : cfg.allColour;
  }
  function enterprisePopup(p) {
    const url = cfg.enterpriseUrl.replace("{id}", p.id);
    const flags = p.risk_flags.map((c) => (flagsByCode[c] ? flagsByCode[c].label : c));
    const rows = [
      [T.place, p.place_name],
      [T.industry, cfg.industries[p.industry] || p.industry],
      [T.status, cfg.statuses[p.operating_status] || p.operating_status],
      [T.riskFlags, flags.length ? flags.join("、") : T.none],
    ];
    return `<a class="fw-bold" href="${esc(url)}">${esc(p.name)}</a>` +
      rows.map(([k, v]) => `<br><span class="text-secondary">${esc(k)}</span> ${esc(v)}`).join("") +
      `<br><a class="small" href="${esc(url)}">${esc(T.detail)} »</a>`;
  }
  function buildGroup(key) {
    const group = groups[key];
    if (!group || group.built) return;
    group.built = true;
    const list = key === "all" ? features : features.filter((f) => f.properties.risk_flags.includes(key));
    list.forEach((f) => {
      const [lon, lat] = f.geometry.coordinates;
      L.circleMarker([lat, lon], {
        renderer: pointRenderer, pane: "yjPoints", radius: key === "all" ? 4.5 : 5.5, weight: 1,
        color: "#ffffff", fillColor: groupColour(key, f.properties), fillOpacity: 0.9,
      }).bindPopup(() => enterprisePopup(f.properties)).addTo(group.layer);
    });
  }
  const dot = (colour) => `<span class="yj-dot" style="background:${esc(colour)}"></span>`;

  function addEnterpriseOverlays() {
    groups.all = { layer: L.layerGroup(), built: false };
    control.addOverlay(groups.all.layer,
      `${dot(cfg.majorColour)}${dot(cfg.allColour)}${esc(T.allEnterprises)} (${features.length})`);
    cfg.flags.forEach((flag) => {
      const n = features.filter((f) => f.properties.risk_flags.includes(flag.code)).length;
      if (!n) return;
      groups[flag.code] = { layer: L.layerGroup(), built: false };
      control.addOverlay(groups[flag.code].layer,
        `${dot(flag.colour)}${esc(T.enterprisesGroup)} · ${esc(flag.label)} (${n})`);
    });
    buildGroup("all");
    groups.all.layer.addTo(map);
  }

  let focusRing = null;
  function focusFeature(f) {
    const [lon, lat] = f.geometry.coordinates;
    map.setView([lat, lon], Math.max(map.getZoom(), cfg.focusZoom - 1));
    if (focusRing) focusRing.remove();
    focusRing = L.circleMarker([lat, lon], {
      renderer: pointRenderer, pane: "yjPoints", radius: 11, weight: 3, color: "#b3261e", fill: false,
      interactive: false,
    }).addTo(map);
    L.popup({ offset: [0, -4] }).setLatLng([lat, lon]).setContent(enterprisePopup(f.properties)).openOn(map);
  }

  // --- Side list, synchronised with the map, and search ----------------------------------------
  const listEl = document.getElementById("map-list");
  const statusEl = document.getElementById("map-list-status");
  const searchForm = document.getElementById("map-search");
  const searchInput = document.getElementById("map-search-input");
  let searchTerm = "";

  function shownKeys() {
    return Object.keys(groups).filter((k) => map.hasLayer(groups[k].layer));
  }
  function renderList(items) {
    listEl.replaceChildren();
    items.slice(0, MAX_LIST).forEach((f) => {
      const p = f.properties;
      const item = document.createElement("button");
      item.type = "button";
      item.className = "list-group-item list-group-item-action";
      item.dataset.enterprise = p.id;
      const mark = document.createElement("span");
      mark.className = "yj-dot";
      mark.style.background = groupColour("all", p);
      const name = document.createElement("span");
      name.textContent = p.name;
      const where = document.createElement("div");
      where.className = "text-secondary";
      where.textContent = p.place_name || "";
      item.append(mark, name, where);
      item.addEventListener("click", () => focusFeature(f));
      listEl.append(item);
    });
  }
  function refreshList() {
    if (!listEl || !cfg.enterprises) return;
    if (searchTerm) {
      const needle = searchTerm.toLowerCase();
      const found = features.filter((f) => f.properties.name.toLowerCase().includes(needle));
      statusEl.textContent = found.length ? fmt(T.searchResults, { n: found.length }) +
        (found.length > MAX_LIST ? fmt(T.showingFirst, { n: MAX_LIST }) : "") : fmt(T.noResult, { q: searchTerm });
      renderList(found);
      return;
    }
    const keys = shownKeys();
    if (!keys.length) {
      statusEl.textContent = T.noLayer;
      renderList([]);
      return;
    }
    const bounds = map.getBounds();
    const flagKeys = keys.filter((k) => k !== "all");
    const inView = features.filter((f) => {
      const [lon, lat] = f.geometry.coordinates;
      if (!bounds.contains([lat, lon])) return false;
      return keys.includes("all") || flagKeys.some((k) => f.properties.risk_flags.includes(k));
    });
    statusEl.textContent = fmt(T.inView, { n: inView.length }) +
      (inView.length > MAX_LIST ? fmt(T.showingFirst, { n: MAX_LIST }) : "");
    renderList(inView);
  }
  if (searchForm) {
    searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      searchTerm = searchInput.value.trim();
      refreshList();
      if (searchTerm) {
        const needle = searchTerm.toLowerCase();
        const found = features.filter((f) => f.properties.name.toLowerCase().includes(needle));
        if (found.length === 1) focusFeature(found[0]);
      }
    });
    searchInput.addEventListener("input", () => {
      if (!searchInput.value.trim() && searchTerm) {
        searchTerm = "";
        refreshList();
      }
    });
  }
  const side = document.getElementById("map-side");
  if (side) side.addEventListener("shown.bs.collapse", () => map.invalidateSize());

  // --- Domain overlays (risks, hazards, resources …): scoped GeoJSON points, fetched for the view --
  // Each feature carries name, url, color and an optional summary line. A layer is fetched when it
  // is switched on and again after the map moves, for the current bounding box only.
  const overlays = (cfg.overlays || []).map((o) => ({ ...o, layer: L.layerGroup(), seq: 0, truncated: false }));
  function overlayPopup(p) {
    const name = p.url ? `<a class="fw-bold" href="${esc(p.url)}">${esc(p.name)}</a>` : `<b>${esc(p.name)}</b>`;
    return name + (p.summary ? `<br><span class="text-secondary">${esc(p.summary)}</span>` : "");
  }
  function loadOverlay(o) {
    if (!map.hasLayer(o.layer)) return;
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
    const seq = ++o.seq;
    fetchGeoJSON(withParams(o.url, { bbox }))
      .then((data) => {
        if (seq !== o.seq) return; // a newer request for this layer is under way
        o.layer.clearLayers();
        o.truncated = Boolean(data.truncated);
        (data.features || []).forEach((f) => {
          if (!f.geometry || f.geometry.type !== "Point") return;
          const [lon, lat] = f.geometry.coordinates;
          L.circleMarker([lat, lon], {
            renderer: pointRenderer, pane: "yjPoints", radius: 6, weight: 1, color: "#ffffff",
            fillColor: f.properties.color || o.colour, fillOpacity: 0.9,
          }).bindPopup(() => overlayPopup(f.properties)).addTo(o.layer);
        });
        o.limit = data.limit || (data.features || []).length;
        refreshOverlayHint();
      })
      .catch(() => {});
  }
  function refreshOverlayHint() {
    const cut = overlays.find((x) => x.truncated && map.hasLayer(x.layer));
    overlayHint = cut ? fmt(T.tooMany, { layer: cut.label, n: cut.limit }) : "";
    updateHint();
  }
  overlays.forEach((o) => {
    control.addOverlay(o.layer, `${dot(o.colour)}${esc(o.label)}`);
  });

  // --- Wiring ---------------------------------------------------------------------------------
  let moveTimer = null;
  map.on("moveend", () => {
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => {
      refreshVillages();
      refreshList();
      overlays.forEach(loadOverlay);
    }, 200);
  });
  map.on("overlayadd", (event) => {
    Object.entries(placeLayers).forEach(([code, entry]) => {
      if (entry.layer === event.layer) {
        if (code === "village") refreshVillages();
        else loadLevel(code);
        orderPlaceLayers();
      }
    });
    Object.keys(groups).forEach((key) => {
      if (groups[key].layer === event.layer) buildGroup(key);
    });
    overlays.forEach((o) => { if (o.layer === event.layer) loadOverlay(o); });
    refreshList();
  });
  map.on("overlayremove", (event) => {
    if (placeLayers.village && event.layer === placeLayers.village.layer) refreshVillages();
    refreshOverlayHint();
    refreshList();
  });

  // Boundary layers were added to the map above, before these handlers: load them now.
  Object.keys(placeLayers).forEach(loadLevel);
  refreshVillages();

  if (cfg.focus) {
    focusRing = L.circleMarker([cfg.focus.lat, cfg.focus.lon], {
      renderer: pointRenderer, pane: "yjPoints", radius: 11, weight: 3, color: "#b3261e", fill: false,
      interactive: false,
    }).addTo(map);
    const url = cfg.enterpriseUrl.replace("{id}", cfg.focus.id);
    L.popup().setLatLng([cfg.focus.lat, cfg.focus.lon])
      .setContent(`<a class="fw-bold" href="${esc(url)}">${esc(cfg.focus.name)}</a>`).openOn(map);
  }

  if (cfg.enterprises) {
    fetchGeoJSON(cfg.enterprisesUrl)
      .then((data) => {
        features = data.features.slice().sort((a, b) => collator.compare(a.properties.name, b.properties.name));
        features.forEach((f) => byId.set(f.id, f));
        addEnterpriseOverlays();
        if (cfg.focus && byId.has(cfg.focus.id)) {
          const f = byId.get(cfg.focus.id);
          L.popup({ offset: [0, -4] }).setLatLng([cfg.focus.lat, cfg.focus.lon])
            .setContent(enterprisePopup(f.properties)).openOn(map);
        }
        refreshList();
      })
      .catch(() => {});
  } else if (statusEl) {
    statusEl.textContent = "";
  }
})();
