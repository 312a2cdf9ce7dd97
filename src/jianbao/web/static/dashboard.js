/* Dashboard charts. Animation is off under automation (navigator.webdriver) and for
   people who ask for reduced motion, so screenshots and tests see the final frame. */
(function () {
  "use strict";
  var source = document.getElementById("dash-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var still = navigator.webdriver ||
    (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  var base = { animation: !still, textStyle: { fontFamily: "inherit" } };
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = window.echarts.init(el, null, { renderer: "svg" });
    c.setOption(Object.assign({}, base, option));
    window.addEventListener("resize", function () { c.resize(); });
  }
  chart("chart-days", {
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 36, right: 12, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.days.map(function (d) { return d.slice(5); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: data.per_day.map(function (s) {
      return { name: s.name, type: "bar", stack: "all", data: s.data };
    })
  });
  // containLabel: the grid leaves room for the longest outlet name (a fixed margin
  // clipped names such as 东川省卫生健康委员会 on the left edge)
  chart("chart-sources", {
    tooltip: {},
    grid: { left: 8, right: 16, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: data.per_source.map(function (p) { return p[0]; }) },
    series: [{ type: "bar", data: data.per_source.map(function (p) { return p[1]; }) }]
  });
  var el = document.getElementById("chart-relevant");
  chart("chart-relevant", {
    tooltip: { trigger: "item" },
    series: [{
      type: "pie", radius: ["45%", "70%"],
      data: [
        { name: el ? el.dataset.labelYes : "yes", value: data.relevant },
        { name: el ? el.dataset.labelNo : "no", value: data.total - data.relevant }
      ]
    }]
  });
})();
