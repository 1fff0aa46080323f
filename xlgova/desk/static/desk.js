// The only script of the desk: dropping files (or a folder) on a drop zone submits its form.
// Without it every form still works with the file chooser.
(function () {
  async function filesOf(items) {
    // A dropped folder arrives as a directory entry: walk it (folders of e-mailed files).
    const out = [];
    async function walk(entry) {
      if (entry.isFile) { out.push(await new Promise((ok, bad) => entry.file(ok, bad))); return; }
      if (!entry.isDirectory) return;
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((ok, bad) => reader.readEntries(ok, bad));
        if (!batch.length) break;
        for (const e of batch) await walk(e);
      }
    }
    for (const item of items) {
      const entry = item.webkitGetAsEntry && item.webkitGetAsEntry();
      if (entry) await walk(entry); else if (item.getAsFile()) out.push(item.getAsFile());
    }
    return out;
  }
  document.querySelectorAll("form[data-drop]").forEach(function (form) {
    const input = form.querySelector("input[type=file]");
    const folder = form.querySelector("input[data-folder]");
    const picked = form.querySelector("[data-picked]");
    if (picked) input.addEventListener("change", function () {
      const n = input.files.length;
      picked.textContent = n === 0 ? "未选择文件" : n === 1 ? input.files[0].name : "已选择 " + n + " 个文件";
    });
    if (folder) folder.addEventListener("change", function () { input.webkitdirectory = folder.checked; });
    ["dragenter", "dragover"].forEach(function (t) {
      form.addEventListener(t, function (e) { e.preventDefault(); form.classList.add("over"); });
    });
    form.addEventListener("dragleave", function () { form.classList.remove("over"); });
    form.addEventListener("drop", async function (e) {
      e.preventDefault();
      form.classList.remove("over");
      const files = await filesOf(Array.from(e.dataTransfer.items || []));
      const dt = new DataTransfer();
      files.slice(0, input.multiple ? files.length : 1).forEach(function (f) { dt.items.add(f); });
      if (!dt.files.length) return;
      input.files = dt.files;
      form.submit();
    });
  });
})();
// Print and back buttons (no inline script: the Content-Security-Policy forbids it).
document.querySelectorAll("[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });
document.querySelectorAll("[data-back]").forEach(function (a) {
  a.addEventListener("click", function (e) { if (history.length > 1) { e.preventDefault(); history.back(); } });
});
