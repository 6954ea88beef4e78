// Draws the dashboard's charts from the numbers the page already shows in its tables:
// the trend (value with its 95% interval as a band, answers as bars) and the
// importance–performance matrix. Without this script the tables carry every number.
(function () {
  "use strict";

  // ECharts shows a tooltip formatter's string as HTML: every value put into one is escaped,
  // so that a touchpoint named "<img src=x onerror=…>" is shown as text.
  var HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return HTML_ESCAPES[c]; });
  }

  function read(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function draw() {
    var data = read("kpi-data");
    var text = read("kpi-text") || {};
    if (!data || typeof echarts === "undefined") return;
    var decimal = text.decimal || ".";
    var digits = data.metric === "ces" ? 2 : data.metric === "csat" ? 1 : 0;
    function fmt(v) {
      return v === null || v === undefined ? "–" : Number(v).toFixed(digits).replace(".", decimal);
    }
    var charts = [];

    var trendEl = document.getElementById("trend-chart");
    if (trendEl && data.trend && data.trend.length) {
      var labels = data.trend.map(function (p) { return p.label; });
      var low = data.trend.map(function (p) { return p.low; });
      var band = data.trend.map(function (p) {
        return p.low === null || p.high === null ? null : p.high - p.low;
      });
      trendEl.classList.add("drawn");
      var trend = echarts.init(trendEl, null, { renderer: "canvas" });
      trend.setOption({
        animation: false,
        tooltip: {
          trigger: "axis",
          formatter: function (items) {
            var p = data.trend[items[0].dataIndex];
            return escapeHtml(p.label) + "<br>" + escapeHtml(text.value || "") + ": " + escapeHtml(fmt(p.value)) +
              (p.value === null ? "" : " (" + escapeHtml(fmt(p.low)) + " – " + escapeHtml(fmt(p.high)) + ")") +
              "<br>n = " + escapeHtml(p.n);
          }
        },
        legend: { data: [text.value || "", text.interval || "", text.answers || ""] },
        grid: { left: 48, right: 48, bottom: 32, top: 40 },
        xAxis: { type: "category", data: labels },
        yAxis: [
          { type: "value", min: data.range[0], max: data.range[1] },
          { type: "value", name: "n", minInterval: 1, splitLine: { show: false } }
        ],
        series: [
          { name: text.answers || "n", type: "bar", yAxisIndex: 1, data: data.trend.map(function (p) { return p.n; }),
            itemStyle: { color: "#d0d7e2" } },
          { name: "low", type: "line", data: low, stack: "interval", symbol: "none",
            lineStyle: { opacity: 0 }, connectNulls: false, silent: true },
          { name: text.interval || "", type: "line", data: band, stack: "interval", symbol: "none",
            lineStyle: { opacity: 0 }, areaStyle: { color: "rgba(31, 95, 173, 0.18)" }, silent: true },
          { name: text.value || "", type: "line", data: data.trend.map(function (p) { return p.value; }),
            itemStyle: { color: "#1f5fad" }, connectNulls: false }
        ]
      });
      charts.push(trend);
    }

    var matrixEl = document.getElementById("matrix-chart");
    if (matrixEl && data.matrix && data.matrix.points.length) {
      var m = data.matrix;
      var colours = { "concentrate": "#c0392b", "keep-up": "#2e8540", "low-priority": "#7f8c8d", "overkill": "#d68910" };
      matrixEl.classList.add("drawn");
      var matrix = echarts.init(matrixEl, null, { renderer: "canvas" });
      matrix.setOption({
        animation: false,
        tooltip: {
          formatter: function (item) {
            var p = m.points[item.dataIndex];
            return escapeHtml(p.name) + "<br>" + escapeHtml(text.importance || "") + ": " +
              escapeHtml(Number(p.x).toFixed(1).replace(".", decimal)) +
              "<br>" + escapeHtml(text.performance || "") + ": " + escapeHtml(fmt(p.y)) +
              " (n = " + escapeHtml(p.n) + ")<br>" + escapeHtml(text[p.quadrant] || "");
          }
        },
        grid: { left: 56, right: 24, bottom: 48, top: 24 },
        xAxis: { type: "value", name: text.importance || "", nameLocation: "middle", nameGap: 28, min: 1, max: 5 },
        yAxis: { type: "value", name: text.performance || "", min: data.range[0], max: data.range[1] },
        series: [{
          type: "scatter",
          symbolSize: 14,
          data: m.points.map(function (p) {
            return { value: [p.x, p.y], name: p.name, itemStyle: { color: colours[p.quadrant] } };
          }),
          // Labels are drawn on the canvas as plain text, not HTML: escaping would show "&lt;".
          label: { show: true, position: "right", formatter: function (item) { return item.name; } },
          markLine: {
            silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#888" }, label: { show: false },
            data: [{ xAxis: m.mean_importance }, { yAxis: m.mean_performance }]
          }
        }]
      });
      charts.push(matrix);
    }

    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
