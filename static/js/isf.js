/* ISF client helpers. No inline scripts anywhere (CSP): behaviour hangs on data attributes. */
(function () {
  "use strict";
  // Submit a select's form on change: <select data-autosubmit>.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]")) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
  });
  // On a desktop (>= 1024 px) the navigation is shown (its "Menu" toggle is hidden by isf.css); on phones it stays
  // folded behind "Menu".
  function openMenuOnDesktop() {
    if (window.matchMedia && window.matchMedia("(min-width: 1024px)").matches) {
      document.querySelectorAll("details.isf-menu").forEach(function (d) { d.open = true; });
    }
  }
  openMenuOnDesktop();
  window.addEventListener("resize", openMenuOnDesktop);
  // Tables become stacked cards on phones: each cell is labelled with its column's heading (data-label), so the key
  // facts of a row are readable at 390 px without scrolling sideways (isf.css, table[data-cards]).
  function labelCells(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".isf-table-wrap table").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) { return; }
      var labels = Array.prototype.map.call(head.cells, function (th) { return th.textContent.trim(); });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && labels[col]) { cell.setAttribute("data-label", labels[col]); }
            col += cell.colSpan || 1;
          });
        });
      });
      table.setAttribute("data-cards", "");
    });
  }
  labelCells(document);
  document.body && document.body.addEventListener("htmx:afterSwap", function (event) { labelCells(event.target); });
  // Ask before destructive actions: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
})();
