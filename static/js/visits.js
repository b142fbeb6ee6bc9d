/* Visit report on a phone: sections per visit type, and nothing typed is lost.
   The form is kept in localStorage on every change; a submit is sent with fetch. When the
   request fails (offline, server error) the draft stays and is resent when the connection is
   back (online event, a retry timer, or the "Send now" button). No inline scripts (CSP). */
(function () {
  "use strict";
  var PREFIX = "isf-visit-draft:";

  function listDrafts() {
    var box = document.getElementById("isf-visit-drafts");
    if (!box) { return; }
    var list = box.querySelector("ul");
    var found = 0;
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        var draft;
        try { draft = JSON.parse(localStorage.getItem(key)); } catch (e) { continue; }
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "?account=" + encodeURIComponent(key.slice(PREFIX.length));
        a.className = "isf-big-tap";
        a.textContent = (draft && draft.name) || key.slice(PREFIX.length);
        li.appendChild(a);
        list.appendChild(li);
        found++;
      }
    }
    if (found) { box.hidden = false; }
  }

  function init(form) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    var status = form.querySelector("[data-visit-status]");
    var errorsBox = form.querySelector("[data-visit-errors]");
    var resend = form.querySelector("[data-visit-resend]");
    var texts = document.getElementById("isf-visit-texts");
    var typeSelect = form.querySelector("[data-visit-type]");
    var retryTimer = null;
    var sending = false;

    function text(name) { return texts ? texts.getAttribute("data-" + name) : ""; }
    function say(msg) { status.textContent = msg; status.hidden = !msg; }

    function fields() {
      var out = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken") { out.push([name, value]); }
      });
      return out;
    }
    function save(pending) {
      var old = load();
      var draft = { name: form.getAttribute("data-account-name"), fields: fields(), saved: Date.now(),
                    pending: pending === undefined ? !!(old && old.pending) : pending };
      try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full: keep the page */ }
    }
    function load() {
      try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
    }
    function restore(draft) {
      var values = {};
      draft.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "csrfmiddlewaretoken" || !(el.name in values)) {
          if (el.type === "checkbox" && el.name) { el.checked = false; }
          return;
        }
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = values[el.name].indexOf(el.value) !== -1;
        } else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = values[el.name].indexOf(o.value) !== -1; });
        } else {
          el.value = values[el.name][0];
        }
      });
    }
    function showSections() {
      if (!typeSelect) { return; }
      var opt = typeSelect.options[typeSelect.selectedIndex];
      var shown = (opt && opt.getAttribute("data-sections") || "").split(",");
      Array.prototype.forEach.call(form.querySelectorAll("[data-section]"), function (sec) {
        sec.hidden = shown.indexOf(sec.getAttribute("data-section")) === -1;
      });
    }
    function clearErrors() {
      errorsBox.hidden = true;
      errorsBox.textContent = "";
      Array.prototype.forEach.call(form.querySelectorAll("[data-error-for]"), function (el) { el.textContent = ""; });
    }
    function showErrors(body) {
      clearErrors();
      var errors = (body && body.errors) || {};
      Object.keys(errors).forEach(function (name) {
        var slot = form.querySelector('[data-error-for="' + name + '"]');
        if (slot) { slot.textContent = errors[name].join(" "); }
      });
      errorsBox.textContent = (body && body.message) || "";
      errorsBox.hidden = !errorsBox.textContent;
      errorsBox.scrollIntoView({ block: "center" });
    }
    function pending() {
      sending = false;
      save(true);
      say(text("offline"));
      resend.hidden = false;
      if (!retryTimer) { retryTimer = window.setInterval(send, 5000); }
    }
    function send() {
      if (sending) { return; }
      sending = true;
      say(text("sending"));
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                           headers: { "X-ISF-Async": "1", "Accept": "application/json" } })
        .then(function (resp) {
          return resp.json().then(function (body) { return { status: resp.status, body: body }; },
                                  function () { return { status: resp.status, body: null }; });
        })
        .then(function (res) {
          if (res.status === 200 && res.body && res.body.ok) {
            if (retryTimer) { window.clearInterval(retryTimer); retryTimer = null; }
            localStorage.removeItem(key);
            window.location.href = res.body.url;
          } else if (res.status === 400 && res.body) {
            sending = false;
            if (retryTimer) { window.clearInterval(retryTimer); retryTimer = null; }
            save(false);
            say("");
            resend.hidden = true;
            showErrors(res.body);
          } else {
            pending();
          }
        })
        .catch(pending);
    }

    var draft = load();
    if (draft && draft.fields && draft.fields.length) {
      restore(draft);
      say(text("restored"));
      if (draft.pending) { send(); }
    }
    showSections();
    if (typeSelect) { typeSelect.addEventListener("change", showSections); }
    form.addEventListener("input", function () { save(); });
    form.addEventListener("change", function () { save(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors();
      save();
      send();
    });
    resend.addEventListener("click", send);
    window.addEventListener("online", function () { if (load() && load().pending) { send(); } });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-visit-form]");
    if (form) { init(form); }
    listDrafts();
  });
})();
