// Listening and competitor charts, drawn with the vendored uPlot from the
// JSON in a chart box's data-chart attribute: {"x": [unix seconds],
// "names": [...], "<series>": [[...] per name]}; each .chart[data-series]
// draws one line per name of that series.
(function () {
  "use strict";
  var palette = ["#1c5aa6", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d", "#4d7c0f", "#334155"];
  function init() {
    if (typeof uPlot === "undefined") return;
    document.querySelectorAll("[data-chart-data]").forEach(function (src) {
      var data = JSON.parse(src.dataset.chartData);
      var x = data.x || [];
      src.parentNode.querySelectorAll(".chart[data-series]").forEach(function (box) {
        var name = box.dataset.series;
        var rows = data[name] || [];
        if (!rows.length || !x.length) return;
        var percent = box.dataset.unit === "percent";
        var series = [{}];
        var values = [x];
        rows.forEach(function (ys, i) {
          series.push({
            label: (data.names || [])[i] || String(i + 1), stroke: palette[i % palette.length], width: 2, spanGaps: true,
            value: function (u, v) { return v == null ? "–" : percent ? (v * 100).toFixed(1) + " %" : String(Math.round(v * 100) / 100); }
          });
          values.push(ys);
        });
        var scales = { x: { time: true } };
        if (box.dataset.min !== undefined) scales.y = { range: [Number(box.dataset.min), Number(box.dataset.max)] };
        var axes = [{}, { values: function (u, ticks) { return ticks.map(function (t) { return percent ? Math.round(t * 100) + " %" : t; }); } }];
        new uPlot({ width: box.clientWidth || 640, height: 220, series: series, scales: scales, axes: axes }, values, box);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
