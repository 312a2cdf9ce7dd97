/* jianbao delivery screen: 复制全文 puts the plain-text broadcast on the clipboard.
   The Clipboard API needs a secure context (https or localhost); on a plain-http intranet
   address it is missing, so the text is selected and copied the older way, and if even
   that is refused the text stays selected for Ctrl+C. */
(function () {
  "use strict";

  function status(text) {
    var box = document.getElementById("copy-status");
    if (box) { box.textContent = text; }
  }

  function copyOld(area) {
    area.focus();
    area.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("[data-copy]") : null;
    if (!button) { return; }
    var area = document.querySelector(button.dataset.copy);
    if (!area) { return; }
    var done = function () { status(button.dataset.done); };
    var fallback = function () {
      if (copyOld(area)) { done(); } else { status(button.dataset.manual); }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
