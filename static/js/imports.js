// Import job page: poll the job's status and move the progress bar until the job has finished.
(function () {
  "use strict";
  const box = document.getElementById("import-job");
  if (!box) return;
  const url = box.dataset.statusUrl;
  const set = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = value; };
  async function poll() {
    let data;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      data = await response.json();
    } catch (e) {
      window.setTimeout(poll, 3000);
      return;
    }
    const bar = document.getElementById("import-progress");
    bar.value = data.progress;
    bar.textContent = data.progress + " %";
    set("import-created", data.created);
    set("import-updated", data.updated);
    set("import-unchanged", data.unchanged);
    set("import-errors", data.errors);
    set("import-message", data.message || (data.phase ? data.phase + ": " + data.rows : data.status));
    if (data.errors > 0 && data.finished) {
      document.getElementById("import-error-link").hidden = false;
      // the problem table (reasons in the page's language) is rendered by the server: show it once
      if (!document.getElementById("import-problems")) { window.location.reload(); return; }
    }
    if (!data.finished) window.setTimeout(poll, 1000);
  }
  poll();
})();
