/* Review pages: a print button for the review pack (<button data-print>). No inline scripts (CSP). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-print]");
    if (el) { event.preventDefault(); window.print(); }
  });
})();
