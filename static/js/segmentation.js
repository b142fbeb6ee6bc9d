/* Segment charts (Chart.js): shares per segment on the KPI page, revenue vs potential on the portfolio.
   Data comes from json_script elements; no inline scripts (CSP). */
(function () {
  "use strict";
  var COLORS = ["#1d4ed8", "#15803d", "#d97706", "#7c3aed", "#b91c1c", "#0e7490", "#4b5563", "#be185d"];

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function euro(value) {
    return new Intl.NumberFormat(document.documentElement.lang || "de", { maximumFractionDigits: 0 }).format(value) + " €";
  }

  function shareChart() {
    var canvas = document.getElementById("segment-share-chart");
    var data = readJson("segment-share-data");
    if (!canvas || !data || !window.Chart) { return; }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) { return { label: s.label, data: s.data, backgroundColor: COLORS[i % COLORS.length] }; })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return v + " %"; } } } },
        plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + c.parsed.y + " %"; } } } }
      }
    });
  }

  function portfolioChart() {
    var canvas = document.getElementById("portfolio-chart");
    var points = readJson("portfolio-data");
    var labels = document.getElementById("portfolio-labels");
    if (!canvas || !points || !window.Chart) { return; }
    var bySegment = {};
    points.forEach(function (p) { (bySegment[p.s || "–"] = bySegment[p.s || "–"] || []).push(p); });
    var datasets = Object.keys(bySegment).sort().map(function (code, i) {
      return { label: code, data: bySegment[code], pointRadius: 2, backgroundColor: COLORS[i % COLORS.length] };
    });
    var detailUrl = labels ? labels.getAttribute("data-url") : null;
    new window.Chart(canvas, {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        parsing: { xAxisKey: "x", yAxisKey: "y" },
        scales: {
          x: { type: "logarithmic", title: { display: true, text: labels ? labels.getAttribute("data-x") : "" },
               ticks: { callback: function (v) { return Number.isInteger(Math.log10(v)) ? euro(v) : ""; } } },
          y: { type: "logarithmic", title: { display: true, text: labels ? labels.getAttribute("data-y") : "" },
               ticks: { callback: function (v) { return Number.isInteger(Math.log10(v)) ? euro(v) : ""; } } }
        },
        plugins: {
          tooltip: { callbacks: { label: function (c) {
            var p = c.raw; return p.n + " (" + (p.s || "–") + "): " + euro(p.y) + " / " + euro(p.x);
          } } }
        },
        onClick: function (event, elements) {
          if (!elements.length || !detailUrl) { return; }
          var p = elements[0].element.$context.raw;
          window.location.href = detailUrl.replace("/0/", "/" + p.id + "/");
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { shareChart(); portfolioChart(); });
})();
