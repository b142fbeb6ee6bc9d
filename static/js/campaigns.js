/* Campaigns: show the call-back time only when the outcome is "call back", the order value only for an order
   taken. No inline scripts (CSP). */
(function () {
  "use strict";
  function sync(form) {
    var outcome = form.querySelector("select[name=outcome]");
    if (!outcome) { return; }
    var box = form.querySelector("[data-callback-field]");
    if (box) { box.classList.toggle("isf-hidden", outcome.value !== "call_back"); }
    var order = form.querySelector("[data-order-field]");
    if (order) { order.classList.toggle("isf-hidden", outcome.value !== "sale"); }
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name=outcome]")) { sync(event.target.form); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-testid=call-form]").forEach(sync);
  });
})();
