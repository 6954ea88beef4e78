// Draws the action plan's timeline: each action a bar from its start to its due day,
// coloured by its status, from the JSON the page carries. Without this script the table
// beside it carries every date.
(function () {
  "use strict";

  // ECharts shows a tooltip formatter's string as HTML: every value put into one is escaped,
  // so that an action titled "<img src=x onerror=…>" is shown as text.
  var HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return HTML_ESCAPES[c]; });
  }

  function read(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  var COLOURS = {
    idea: "#9aa5b1",
    planned: "#1f5fad",
    in_progress: "#d68910",
    done: "#2e8540",
    dropped: "#c8ced6"
  };

  // A day "2027-01-04" as the time axis counts it: its start in UTC, so that no time zone
  // moves a bar by a day.
  function day(text) {
    var p = String(text).split("-");
    return Date.UTC(Number(p[0]), Number(p[1]) - 1, Number(p[2]));
  }

  var DAY = 24 * 3600 * 1000;

  function draw() {
    var items = read("timeline-data");
    var text = read("timeline-text") || {};
    var el = document.getElementById("timeline-chart");
    if (!el || !items || !items.length || typeof echarts === "undefined") return;
    // One row per action, the first at the top; the height grows with the rows.
    el.style.height = Math.max(160, 60 + items.length * 28) + "px";
    el.classList.add("drawn");
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: {
        formatter: function (item) {
          var a = items[item.dataIndex];
          return escapeHtml(a.title) + "<br>" + escapeHtml(text[a.status] || a.status) +
            "<br>" + escapeHtml(text.start || "") + ": " + escapeHtml(a.from_text) +
            "<br>" + escapeHtml(text.due || "") + ": " + escapeHtml(a.until_text);
        }
      },
      grid: { left: 200, right: 24, bottom: 32, top: 16 },
      // Days in the page's language, not ECharts' English month names.
      xAxis: {
        type: "time",
        axisLabel: {
          formatter: function (value) {
            var d = new Date(value);
            var dd = String(d.getUTCDate()).padStart(2, "0");
            var mm = String(d.getUTCMonth() + 1).padStart(2, "0");
            return text.lang === "de" ? dd + "." + mm + "." + d.getUTCFullYear() : d.getUTCFullYear() + "-" + mm + "-" + dd;
          }
        }
      },
      yAxis: {
        type: "category",
        inverse: true,
        data: items.map(function (a) { return a.title; }),
        // Axis labels are drawn on the canvas as plain text, not HTML: escaping would show
        // "&lt;".
        axisLabel: { width: 180, overflow: "truncate" }
      },
      series: [{
        type: "custom",
        encode: { x: [1, 2], y: 0 },
        data: items.map(function (a, i) {
          // A bar lasts through its due day.
          return { value: [i, day(a.from), day(a.until) + DAY], itemStyle: { color: COLOURS[a.status] || "#888" } };
        }),
        renderItem: function (params, api) {
          var row = api.value(0);
          var from = api.coord([api.value(1), row]);
          var until = api.coord([api.value(2), row]);
          var height = api.size([0, 1])[1] * 0.6;
          var shape = echarts.graphic.clipRectByRect(
            { x: from[0], y: from[1] - height / 2, width: Math.max(2, until[0] - from[0]), height: height },
            { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height }
          );
          return shape && { type: "rect", shape: shape, style: api.style() };
        }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
