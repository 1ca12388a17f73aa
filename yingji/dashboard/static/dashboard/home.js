// Home page charts (ECharts). Data comes from the "home-charts" json_script; every bar or slice
// links to the matching filtered list. Labels and empty-state texts come from data attributes.
(function () {
  "use strict";
  const source = document.getElementById("home-charts");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const charts = [];

  function option(kind, items, seriesName) {
    const palette = ["#b3261e", "#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#20c997", "#d63384",
      "#ffc107", "#0dcaf0", "#6c757d"];
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
    const horizontal = kind === "hbar";
    const names = items.map((i) => i.name);
    const category = {
      type: "category", data: names, inverse: horizontal,
      axisLabel: horizontal ? { fontSize: 11 } : { fontSize: 11, rotate: names.length > 6 ? 40 : 0, interval: 0 },
    };
    const value = { type: "value", minInterval: 1 };
    return {
      color: [horizontal ? "#b3261e" : "#0d6efd"],
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{
        name: seriesName, type: "bar", barMaxWidth: 28,
        label: { show: true, position: horizontal ? "right" : "top", fontSize: 11 },
        data: items.map((i) => ({ value: i.value, url: i.url })),
      }],
    };
  }

  document.querySelectorAll("[data-chart]").forEach((el) => {
    const items = data[el.dataset.chart] || [];
    if (!items.length) {
      el.classList.add("d-flex", "align-items-center", "justify-content-center", "text-secondary");
      el.textContent = el.dataset.empty || "";
      return;
    }
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(el.dataset.kind, items, el.dataset.series || ""));
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
})();
