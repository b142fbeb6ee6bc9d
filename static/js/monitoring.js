/* Monitoring overview: alerts per week and type as a stacked bar chart (Chart.js).
   Data comes from the json_script element "monitoring-week-data"; no inline scripts (CSP). */
(function () {
  "use strict";
  var COLORS = { overdue: "#b91c1c", revenue_drop: "#d97706", group_dropped: "#7c3aed", few_expected: "#1d4ed8" };

  function weekChart() {
    var canvas = document.getElementById("monitoring-week-chart");
    var source = document.getElementById("monitoring-week-data");
    if (!canvas || !source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s) {
          return { label: s.label, data: s.data, backgroundColor: COLORS[s.code] || "#4b5563" };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", weekChart);
  } else {
    weekChart();
  }
})();
