/* ISF client helpers. No inline scripts anywhere (CSP): behaviour hangs on data attributes. */
(function () {
  "use strict";
  // Submit a select's form on change: <select data-autosubmit>.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]")) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
  });
  // On wide screens the main menu starts open; on phones it stays folded behind "Menu".
  if (window.matchMedia && window.matchMedia("(min-width: 1000px)").matches) {
    document.querySelectorAll("details.isf-menu").forEach(function (d) { d.open = true; });
  }
  // Ask before destructive actions: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
})();
