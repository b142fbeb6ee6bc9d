/* Planning pages: the coverage chart (data from json_script, no inline scripts under the CSP). */
(function () {
  "use strict";
  function coverageChart() {
    var data = document.getElementById("coverage-data");
    var canvas = document.getElementById("coverage-chart");
    if (!data || !canvas || typeof window.Chart === "undefined") { return; }
    var d = JSON.parse(data.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: [
          { label: d.label_planned, data: d.planned, backgroundColor: "#9bb7d4" },
          { label: d.label_done, data: d.done, backgroundColor: "#2e7d32" }
        ]
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", coverageChart);
  } else {
    coverageChart();
  }
})();
