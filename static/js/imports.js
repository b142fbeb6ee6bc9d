// Import job page: poll the job's status and move the progress bar until the job has finished.
(function () {
  "use strict";
  // Preview page while the worker reads the file: reload once the stored preview is there.
  const pending = document.getElementById("import-preview-pending");
  if (pending) {
    const wait = async function () {
      try {
        const response = await fetch(pending.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        const data = await response.json();
        if (data.preview_ready) { window.location.reload(); return; }
      } catch (e) { /* try again */ }
      window.setTimeout(wait, 1000);
    };
    wait();
    return;
  }
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
    set("import-errors-total", data.errors_total);
    set("import-message", data.message || (data.phase ? data.phase + ": " + data.rows : data.status));
    if (data.finished && box.dataset.finished !== "1") {
      // the problem table, the tiles' wording and "import now" are rendered by the server: show them once
      window.location.reload();
      return;
    }
    if (data.errors > 0 && data.finished) {
      document.getElementById("import-error-link").hidden = false;
    }
    if (!data.finished) window.setTimeout(poll, 1000);
  }
  poll();
})();
