/* jianbao workstation: keyboard triage, drag-to-reorder, preview refresh. No build step. */
(function () {
  "use strict";

  function csrf() { return document.body.dataset.csrf || ""; }

  /* --- candidates: j/k move, a accept, x reject, e edit summary, o open --- */
  var current = -1;
  function rows() { return Array.prototype.slice.call(document.querySelectorAll(".cand")); }
  function focusRow(i) {
    var list = rows();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(i, list.length - 1));
    list.forEach(function (r) { r.classList.remove("current"); });
    var row = list[current];
    row.classList.add("current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }
  function currentRow() {
    var list = rows();
    if (current < 0 || current >= list.length) { return null; }
    return list[current];
  }
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
      target.tagName === "SELECT" || target.isContentEditable);
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) {
      if (ev.key === "Escape" && ev.target.closest && ev.target.closest(".edit-form")) {
        ev.target.closest(".edit-form").hidden = true;
        var r = currentRow(); if (r) { r.focus(); }
      }
      return;
    }
    if (!document.querySelector(".cand-list")) { return; }
    var row = currentRow();
    var key = ev.key;
    if (key === "j") { focusRow(current + 1); ev.preventDefault(); return; }
    if (key === "k") { focusRow(current - 1); ev.preventDefault(); return; }
    if (!row) { return; }
    var target = row.querySelector('[data-key="' + key + '"]');
    if (!target) { return; }
    ev.preventDefault();
    if (key === "e") { openEditor(row); return; }
    target.click();
  });
  function openEditor(row) {
    var form = row.querySelector(".edit-form");
    if (!form) { return; }
    form.hidden = false;
    var area = form.querySelector("textarea");
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest(".cand .edit");
    if (btn) { openEditor(btn.closest(".cand")); }
    var cand = ev.target.closest && ev.target.closest(".cand");
    if (cand) { var i = rows().indexOf(cand); if (i >= 0) { current = i; rows().forEach(function (r) { r.classList.toggle("current", r === cand); }); } }
  });
  /* keep the cursor on the row htmx has just replaced */
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.target && ev.target.classList && ev.target.classList.contains("cand")) {
      focusRow(current);
    }
    if (ev.target && ev.target.id === "cand-list") { current = -1; }
  });

  /* --- composer: drag an item onto another to move it there --- */
  var dragFrom = null;
  document.addEventListener("dragstart", function (ev) {
    var item = ev.target.closest && ev.target.closest(".sortable .item");
    if (!item) { return; }
    dragFrom = item.dataset.position;
    ev.dataTransfer.effectAllowed = "move";
    ev.dataTransfer.setData("text/plain", dragFrom);
    item.classList.add("dragging");
  });
  document.addEventListener("dragover", function (ev) {
    var item = ev.target.closest && ev.target.closest(".sortable .item");
    if (item && dragFrom) { ev.preventDefault(); item.classList.add("drop"); }
  });
  document.addEventListener("dragleave", function (ev) {
    var item = ev.target.closest && ev.target.closest(".sortable .item");
    if (item) { item.classList.remove("drop"); }
  });
  document.addEventListener("drop", function (ev) {
    var item = ev.target.closest && ev.target.closest(".sortable .item");
    if (!item || !dragFrom) { return; }
    ev.preventDefault();
    var to = item.dataset.position;
    var issue = document.getElementById("composer-body").dataset.issue;
    var from = dragFrom;
    dragFrom = null;
    if (to === from) { return; }
    window.htmx.ajax("POST", "/issues/" + issue + "/items/" + from + "/move", {
      target: "#composer-body", swap: "outerHTML", values: { to: to },
      headers: { "X-CSRF-Token": csrf() }
    });
  });
  document.addEventListener("dragend", function () {
    dragFrom = null;
    document.querySelectorAll(".item.dragging, .item.drop").forEach(function (el) {
      el.classList.remove("dragging", "drop");
    });
  });

  /* --- composer: reload the preview when the issue changed --- */
  document.body.addEventListener("issue-changed", function () {
    var frame = document.getElementById("preview");
    if (frame) { frame.src = frame.src.split("#")[0].replace(/\?.*$/, "") + "?t=" + Date.now(); }
  });

  /* --- forms that add something start empty again after success --- */
  document.addEventListener("htmx:afterRequest", function (ev) {
    var form = ev.detail && ev.detail.elt;
    if (form && (form.id === "add-source" || form.id === "add-user") && ev.detail.successful) { form.reset(); }
  });

  /* --- errors: clear the notice on the next successful request --- */
  document.addEventListener("htmx:beforeRequest", function () {
    var notice = document.getElementById("notice");
    if (notice) { notice.innerHTML = ""; }
  });
})();
