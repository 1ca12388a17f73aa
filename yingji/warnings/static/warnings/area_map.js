// The area of a warning on a Leaflet map (offline, vendored Leaflet; no plugins).
// Detail page: shows the drawn polygon, circle and the boundaries of the area places.
// Compose page (#draw-polygon present): click to add polygon vertices, or click a centre and then a
// point on the rim for a circle; the polygon goes to the hidden GeoJSON input, the circle to the
// centre/radius inputs. The type select limits the level select and fills the defence guidance.
(function () {
  "use strict";
  const cfgEl = document.getElementById("warning-map-config");
  if (!cfgEl || typeof L === "undefined") return;
  const cfg = JSON.parse(cfgEl.textContent);
  const T = cfg.text;
  const COLOURS = { blue: "#0d6efd", yellow: "#e0a800", orange: "#fd7e14", red: "#dc3545" };

  const map = L.map("warning-map", { doubleClickZoom: false });
  map.attributionControl.setPrefix(false);
  if (cfg.tileUrl) L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map);
  map.setView(cfg.centre, cfg.zoom);
  L.control.scale({ imperial: false }).addTo(map);

  const areaLayer = L.featureGroup().addTo(map);
  cfg.areas.forEach((a) => {
    L.geoJSON(a.geometry, { style: { color: "#6c757d", weight: 1, fillOpacity: 0.08 } })
      .bindTooltip(a.name)
      .addTo(areaLayer);
  });
  const colour = () => COLOURS[(document.getElementById("id_level") || {}).value || cfg.level] || "#dc3545";
  const drawn = L.featureGroup().addTo(map);

  function showPolygon(latlngs) {
    if (latlngs.length >= 2) L.polygon(latlngs, { color: colour(), weight: 2, fillOpacity: 0.2 }).addTo(drawn);
    latlngs.forEach((ll) => L.circleMarker(ll, { radius: 3, color: colour() }).addTo(drawn));
  }
  function showCircle(lat, lon, km) {
    L.circle([lat, lon], { radius: km * 1000, color: colour(), weight: 2, fillOpacity: 0.15 }).addTo(drawn);
  }
  function polygonLatLngs(geo) {
    if (!geo || !geo.coordinates || !geo.coordinates[0]) return [];
    const ring = geo.coordinates[0].map((p) => [p[1], p[0]]);
    if (ring.length > 1) ring.pop(); // GeoJSON rings repeat the first point
    return ring;
  }
  function fit() {
    const group = L.featureGroup([...drawn.getLayers(), ...areaLayer.getLayers()]);
    if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 13 });
  }

  const editing = document.getElementById("draw-polygon");
  if (!editing) {
    showPolygon(polygonLatLngs(cfg.polygon));
    if (cfg.circle) showCircle(cfg.circle[0], cfg.circle[1], cfg.circle[2]);
    fit();
    return;
  }

  // --- compose / edit ---------------------------------------------------------------------------
  const polygonInput = document.getElementById("id_area_polygon");
  const latInput = document.getElementById("id_area_circle_latitude");
  const lonInput = document.getElementById("id_area_circle_longitude");
  const radiusInput = document.getElementById("id_area_circle_radius_km");
  const hint = document.getElementById("draw-hint");
  const finishBtn = document.getElementById("draw-finish");
  let mode = null;
  let vertices = [];
  let centre = null;

  function readPolygon() {
    try {
      return polygonLatLngs(JSON.parse(polygonInput.value || "null"));
    } catch (e) {
      return [];
    }
  }
  function readCircle() {
    const lat = parseFloat(latInput.value);
    const lon = parseFloat(lonInput.value);
    const km = parseFloat(radiusInput.value);
    return [lat, lon, km].every((v) => !Number.isNaN(v)) && km > 0 ? [lat, lon, km] : null;
  }
  function redraw() {
    drawn.clearLayers();
    showPolygon(mode === "polygon" ? vertices : readPolygon());
    const circle = readCircle();
    if (circle) showCircle(circle[0], circle[1], circle[2]);
    else if (centre) L.circleMarker(centre, { radius: 4, color: colour() }).addTo(drawn);
  }
  function setMode(next) {
    mode = next;
    vertices = [];
    centre = null;
    hint.textContent = next === "polygon" ? T.hintPolygon : next === "circle" ? T.hintCircle : "";
    finishBtn.disabled = next !== "polygon";
    editing.classList.toggle("active", next === "polygon");
    document.getElementById("draw-circle").classList.toggle("active", next === "circle");
    redraw();
  }
  function savePolygon() {
    if (vertices.length < 3) return;
    const ring = vertices.map((ll) => [Number(ll[1].toFixed(6)), Number(ll[0].toFixed(6))]);
    ring.push(ring[0]);
    polygonInput.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    setMode(null);
  }

  map.on("click", (e) => {
    const ll = [e.latlng.lat, e.latlng.lng];
    if (mode === "polygon") {
      vertices.push(ll);
      redraw();
    } else if (mode === "circle") {
      if (!centre) {
        centre = ll;
        latInput.value = ll[0].toFixed(6);
        lonInput.value = ll[1].toFixed(6);
        if (readCircle()) setMode(null);
        else redraw();
      } else {
        radiusInput.value = (map.distance(centre, e.latlng) / 1000).toFixed(2);
        setMode(null);
      }
    }
  });
  map.on("dblclick", () => {
    if (mode === "polygon") savePolygon();
  });
  editing.addEventListener("click", () => setMode("polygon"));
  document.getElementById("draw-circle").addEventListener("click", () => {
    latInput.value = lonInput.value = radiusInput.value = "";
    setMode("circle");
  });
  finishBtn.addEventListener("click", savePolygon);
  document.getElementById("draw-clear").addEventListener("click", () => {
    polygonInput.value = "";
    latInput.value = lonInput.value = radiusInput.value = "";
    setMode(null);
  });
  [latInput, lonInput, radiusInput].forEach((el) => el.addEventListener("change", redraw));

  // type → allowed levels and guidance
  const catEl = document.getElementById("warning-catalogue");
  const typeSel = document.getElementById("id_warning_type");
  const levelSel = document.getElementById("id_level");
  const instruction = document.getElementById("id_instruction");
  if (catEl && typeSel && levelSel) {
    const catalogue = JSON.parse(catEl.textContent);
    let lastGuidance = "";
    const guidanceOf = () => {
      const entry = catalogue[typeSel.value];
      return (entry && entry.guidance[levelSel.value]) || "";
    };
    lastGuidance = guidanceOf();
    const limitLevels = () => {
      const entry = catalogue[typeSel.value];
      Array.from(levelSel.options).forEach((opt) => {
        opt.disabled = !!(entry && opt.value && entry.levels.indexOf(opt.value) < 0);
      });
      if (levelSel.selectedOptions[0] && levelSel.selectedOptions[0].disabled) levelSel.value = "";
    };
    const fillGuidance = () => {
      const next = guidanceOf();
      if (instruction && (!instruction.value.trim() || instruction.value === lastGuidance)) instruction.value = next;
      lastGuidance = next;
      redraw();
    };
    typeSel.addEventListener("change", () => {
      limitLevels();
      fillGuidance();
    });
    levelSel.addEventListener("change", fillGuidance);
    limitLevels();
  }

  redraw();
  fit();
})();
