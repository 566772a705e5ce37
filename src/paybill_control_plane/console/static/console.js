// Paybill console: confirmation dialogs, keyboard shortcuts, and keeping htmx polls from
// replacing a dialog the operator has open. No inline scripts (the pages' CSP forbids them).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-opens]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-opens"));
      if (dialog && !dialog.open) dialog.showModal();
      return;
    }
    var closer = event.target.closest("[data-closes]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) open.close();
    }
  });

  // A poll must not swap away an open confirmation dialog (or the element it was opened from).
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (document.querySelector("dialog[open]") && event.detail.requestConfig.verb === "get"
        && event.detail.elt.hasAttribute("hx-trigger")) {
      event.preventDefault();
    }
  });

  // Keep a followed log scrolled to its end while the reader is at the end.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var log = document.getElementById("log-lines");
    if (log) log.dataset.atEnd = String(log.scrollTop + log.clientHeight >= log.scrollHeight - 24);
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    var log = document.getElementById("log-lines");
    if (log && log.dataset.atEnd !== "false") log.scrollTop = log.scrollHeight;
  });
  document.addEventListener("DOMContentLoaded", function () {
    var log = document.getElementById("log-lines");
    if (log) log.scrollTop = log.scrollHeight;
  });

  // An htmx request the server refused (a 409 on replay, a 403): say why, in the page's alert.
  document.addEventListener("htmx:responseError", function (event) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    var xhr = event.detail.xhr;
    var text = xhr.getResponseHeader("Content-Type") || "";
    flash.textContent = text.indexOf("text/plain") === 0 && xhr.responseText
      ? xhr.responseText : "The request failed (HTTP " + xhr.status + ").";
    flash.hidden = false;
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var flash = document.getElementById("flash");
    if (flash && event.detail.requestConfig.verb !== "get") flash.hidden = true;
  });

  var pendingG = false;
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target.closest && target.closest("input, select, textarea, [contenteditable]");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/") {
      var search = document.querySelector("[data-search], .filters input, .filters select");
      if (search) { event.preventDefault(); search.focus(); }
      return;
    }
    if (event.key === "?") {
      var help = document.getElementById("shortcuts");
      if (help && !help.open) help.showModal();
      return;
    }
    if (pendingG) {
      pendingG = false;
      var link = document.querySelector('nav a[data-shortcut="' + event.key + '"]');
      if (link) { event.preventDefault(); link.click(); }
      return;
    }
    if (event.key === "g") { pendingG = true; setTimeout(function () { pendingG = false; }, 1200); }
  });
})();
