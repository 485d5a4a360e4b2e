// Analytics charts: sparklines under the headline measures and the follower
// growth chart, drawn with the vendored uPlot from the page's JSON data.
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("analytics-data");
    if (!el || typeof uPlot === "undefined") return;
    var data = JSON.parse(el.dataset.chart);
    var x = data.x || [];
    document.querySelectorAll(".sparkline[data-series]").forEach(function (box) {
      var ys = data[box.dataset.series];
      if (!ys) return;
      new uPlot({
        width: box.clientWidth || 180, height: 36, legend: { show: false }, cursor: { show: false },
        axes: [{ show: false }, { show: false }], scales: { x: { time: false } },
        series: [{}, { stroke: "#3a7fcc", width: 1.5, spanGaps: true }]
      }, [x, ys], box);
    });
    document.querySelectorAll(".chart[data-chart]").forEach(function (box) {
      var ys = data[box.dataset.chart];
      if (!ys) return;
      new uPlot({
        width: box.clientWidth || 600, height: 220, legend: { show: false },
        series: [{}, { stroke: "#1c5aa6", width: 2, spanGaps: true, points: { show: true } }]
      }, [x, ys], box);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
