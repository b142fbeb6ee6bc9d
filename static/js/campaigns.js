/* Campaigns: show the call-back time only when the outcome is "call back". No inline scripts (CSP). */
(function () {
  "use strict";
  function sync(form) {
    var outcome = form.querySelector("select[name=outcome]");
    var box = form.querySelector("[data-callback-field]");
    if (!outcome || !box) { return; }
    box.classList.toggle("isf-hidden", outcome.value !== "call_back");
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name=outcome]")) { sync(event.target.form); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-testid=call-form]").forEach(sync);
  });
})();
