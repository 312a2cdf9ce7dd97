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

  /* --- composer: an item's save (or a move) redraws every item: edits typed in the
     other items are carried over and stay marked unsaved; leaving with unsaved edits
     asks first --- */
  function changedFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit") { return false; }
      if (el.type === "checkbox") { return el.checked !== el.defaultChecked; }
      if (el.tagName === "SELECT") {
        return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return el.value !== el.defaultValue;
    });
  }
  function markUnsaved(form) {
    var dirty = changedFields(form).length > 0;
    var item = form.closest(".item");
    if (item) { item.classList.toggle("unsaved", dirty); }
    var mark = form.querySelector(".unsaved-mark");
    if (mark) { mark.hidden = !dirty; }
  }
  function unsavedForms() {
    return Array.prototype.filter.call(document.querySelectorAll("#composer-body form.item-edit"), function (f) {
      return changedFields(f).length > 0;
    });
  }
  document.addEventListener("input", function (ev) {
    var form = ev.target.closest && ev.target.closest("form.item-edit");
    if (form) { markUnsaved(form); }
  });
  document.addEventListener("change", function (ev) {
    var form = ev.target.closest && ev.target.closest("form.item-edit");
    if (form) { markUnsaved(form); }
  });
  var pending = null;
  document.addEventListener("htmx:beforeSwap", function (ev) {
    if (!ev.detail.target || ev.detail.target.id !== "composer-body") { return; }
    var sent = ev.detail.requestConfig && ev.detail.requestConfig.elt;
    pending = {};
    unsavedForms().forEach(function (form) {
      if (form === sent) { return; }
      var item = form.closest(".item");
      if (!item) { return; }
      var values = {};
      changedFields(form).forEach(function (el) { values[el.name] = el.type === "checkbox" ? el.checked : el.value; });
      pending[item.dataset.item] = values;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!pending) { return; }
    var kept = pending;
    pending = null;
    Object.keys(kept).forEach(function (id) {
      var form = document.querySelector('#composer-body .item[data-item="' + id + '"] form.item-edit');
      if (!form) { return; }
      Object.keys(kept[id]).forEach(function (name) {
        var el = form.elements[name];
        if (!el) { return; }
        if (el.type === "checkbox") { el.checked = kept[id][name]; } else { el.value = kept[id][name]; }
        if (name === "body" || name === "restore_body") {
          var box = el.closest("details"); if (box) { box.open = true; }
        }
      });
      markUnsaved(form);
    });
  });
  window.addEventListener("beforeunload", function (ev) {
    if (unsavedForms().length) { ev.preventDefault(); ev.returnValue = ""; }
  });

  /* --- composer: reload the preview when the issue changed --- */
  document.body.addEventListener("issue-changed", function () {
    var frame = document.getElementById("preview");
    if (frame) { frame.src = frame.src.split("#")[0].replace(/\?.*$/, "") + "?t=" + Date.now(); }
  });

  /* --- the language switch comes back to the page as it is now: with the filters
     htmx has put in the address since the page was drawn --- */
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form && form.classList && form.classList.contains("lang-switch") && form.elements.back) {
      form.elements.back.value = window.location.pathname + window.location.search;
    }
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
