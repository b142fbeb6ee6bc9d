/* Service orders: account picking on the phone form and the SLA report chart (no inline scripts, CSP). */
(function () {
  "use strict";
  // Tapping a found account selects it and clears the search box.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("input[name=account][type=radio]")) {
      var q = document.querySelector("input[name=account_q]");
      if (q) { q.value = ""; }
    }
  });
  function renderChart() {
    var holder = document.getElementById("sla-chart");
    var data = document.getElementById("sla-chart-data");
    if (!holder || !data || typeof Chart === "undefined") { return; }
    var d = JSON.parse(data.textContent);
    new Chart(holder, {
      data: {
        labels: d.labels,
        datasets: [
          { type: "bar", label: d.label_attainment, data: d.attainment, yAxisID: "y", backgroundColor: "rgba(1, 114, 173, .55)" },
          { type: "line", label: d.label_median, data: d.median, yAxisID: "y1", borderColor: "#2e7d32" },
          { type: "line", label: d.label_p90, data: d.p90, yAxisID: "y1", borderColor: "#c62828" }
        ]
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 100, position: "left" }, y1: { min: 0, position: "right", grid: { drawOnChartArea: false } } }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", renderChart); } else { renderChart(); }
})();
