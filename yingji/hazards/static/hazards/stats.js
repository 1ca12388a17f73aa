// Hazard statistics dashboard: ECharts charts from the "stats-charts" json_script and a Leaflet map
// of hazard points from the GeoJSON endpoint named in "stats-map-config" (scoped by the server).
// No inline code: CSP allows only the platform's own files.
(function () {
  "use strict";
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (s) => String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
  const fmt = (s, values) => s.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const palette = ["#b3261e", "#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#20c997", "#d63384",
    "#ffc107", "#0dcaf0", "#6c757d"];

  // --- Charts -------------------------------------------------------------------------------------
  const chartsEl = document.getElementById("stats-charts");
  const charts = [];
  function option(kind, items, seriesName) {
    if (kind === "pie") {
      return {
        color: palette,
        tooltip: { trigger: "item" },
        series: [{
          name: seriesName, type: "pie", radius: ["35%", "65%"], center: ["50%", "52%"],
          label: { formatter: "{b}\n{c}", fontSize: 11 }, minShowLabelAngle: 6,
          data: items.map((i) => ({ name: i.name, value: i.value, url: i.url })),
        }],
      };
    }
    const names = items.map((i) => i.name);
    return {
      color: ["#b3261e"],
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { fontSize: 11 } },
      series: [{
        name: seriesName, type: "bar", barMaxWidth: 22,
        label: { show: true, position: "right", fontSize: 11 },
        data: items.map((i) => ({ value: i.value, url: i.url })),
      }],
    };
  }
  function stackOption(d) {
    return {
      color: ["#fd7e14", "#198754"],
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: d.names, axisLabel: { fontSize: 11, rotate: d.names.length > 8 ? 40 : 0, interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: d.openLabel, type: "bar", stack: "n", barMaxWidth: 36, data: d.open },
        { name: d.closedLabel, type: "bar", stack: "n", barMaxWidth: 36, data: d.closed },
      ],
    };
  }
  if (chartsEl && typeof echarts !== "undefined") {
    const data = JSON.parse(chartsEl.textContent);
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const key = el.dataset.chart;
      const value = data[key];
      const empty = key === "place" ? !(value && value.names.length) : !(value && value.length);
      if (empty) {
        el.classList.add("d-flex", "align-items-center", "justify-content-center", "text-secondary");
        el.textContent = el.dataset.empty || "";
        return;
      }
      const chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(key === "place" ? stackOption(value) : option(el.dataset.kind, value, el.dataset.series || ""));
      chart.on("click", (params) => {
        const url = params.data && params.data.url;
        if (url) window.location.href = url;
      });
      charts.push(chart);
    });
    let pending = null;
    window.addEventListener("resize", () => {
      clearTimeout(pending);
      pending = setTimeout(() => charts.forEach((c) => c.resize()), 150);
    });
  }

  // --- Map ----------------------------------------------------------------------------------------
  const cfgEl = document.getElementById("stats-map-config");
  const mapEl = document.getElementById("stats-map");
  if (!cfgEl || !mapEl || typeof L === "undefined") return;
  const cfg = JSON.parse(cfgEl.textContent);
  const T = cfg.text;
  const statusEl = document.getElementById("stats-map-status");
  const map = L.map(mapEl, { preferCanvas: true, minZoom: 5, maxZoom: 19 });
  map.attributionControl.setPrefix(false);
  if (cfg.bounds) map.fitBounds(cfg.bounds, { padding: [8, 8] });
  else map.setView(cfg.centre, cfg.zoom);
  if (cfg.tileUrl) L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  const Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd() {
      const div = L.DomUtil.create("div", "yj-legend");
      div.innerHTML = `<div class="fw-bold">${esc(T.legend)}</div>` + cfg.statuses.map((s) =>
        `<div><span class="yj-dot" style="background:${esc(s.colour)}"></span>${esc(s.label)}</div>`).join("");
      return div;
    },
  });
  new Legend().addTo(map);

  const renderer = L.canvas({ padding: 0.3 });
  const layer = L.layerGroup().addTo(map);
  function popup(p) {
    const title = p.url ? `<a class="fw-bold" href="${esc(p.url)}">${esc(p.name)}</a>` : `<span class="fw-bold">${esc(p.name)}</span>`;
    return title + `<br><span class="text-secondary">${esc(p.summary)}</span>` +
      (p.url ? `<br><a class="small" href="${esc(p.url)}">${esc(T.detail)} »</a>` : "");
  }
  let ticket = 0;
  function load() {
    const b = map.getBounds().pad(0.2);
    const params = Object.assign({}, cfg.params, {
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, v)).toFixed(5)).join(","),
    });
    const mine = ++ticket;
    if (statusEl) statusEl.textContent = T.loading;
    fetch(cfg.url + "?" + new URLSearchParams(params).toString(), {
      credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" },
    })
      .then((r) => {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then((data) => {
        if (mine !== ticket) return;
        layer.clearLayers();
        data.features.forEach((f) => {
          const [lon, lat] = f.geometry.coordinates;
          L.circleMarker([lat, lon], {
            renderer, radius: f.properties.grade === "major" ? 6.5 : 4.5, weight: 1, color: "#ffffff",
            fillColor: f.properties.color, fillOpacity: 0.9,
          }).bindPopup(() => popup(f.properties)).addTo(layer);
        });
        if (statusEl) {
          statusEl.textContent = data.truncated ? fmt(T.truncated, { n: data.limit }) : fmt(T.shown, { n: data.features.length });
        }
      })
      .catch((err) => {
        if (mine === ticket && statusEl) statusEl.textContent = fmt(T.loadFailed, { status: err.message });
      });
  }
  let timer = null;
  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  });
  load();
})();
