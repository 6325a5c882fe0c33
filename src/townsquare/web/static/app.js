// townsquare consoles: keyboard shortcuts, blur toggle for severe content, live previews. No dependencies.
(function () {
  "use strict";

  function typing(target) {
    var tag = (target && target.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function clickShortcut(key) {
    var el = document.querySelector('[data-key="' + key + '"]');
    if (!el) { return false; }
    if (el.tagName === "A" || el.tagName === "BUTTON") { el.click(); } else { el.focus(); }
    return true;
  }

  // Row navigation (j / k) over lists marked data-rows.
  function moveRow(step) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
    if (!rows.length) { return; }
    var current = rows.indexOf(document.activeElement);
    var next = Math.min(rows.length - 1, Math.max(0, current + step));
    if (current === -1) { next = 0; }
    rows[next].focus();
  }

  var pendingG = false;
  var goTo = { h: "/", t: "/transparency", m: "/moderation", c: "/council", a: "/advertiser", d: "/admin" };

  // Moderation: the help overlay (? or its button), x selects the focused queue row, / searches, Ctrl+Enter
  // submits the form being typed in (the decision without leaving the keyboard).
  function openHelp() {
    var dialog = document.getElementById("mod-shortcuts") || document.getElementById("shortcuts");
    if (dialog && dialog.showModal && !dialog.open) { dialog.showModal(); return true; }
    return false;
  }

  function toggleSelected() {
    var row = document.activeElement && document.activeElement.closest && document.activeElement.closest("tr");
    var box = row && row.querySelector('input[type="checkbox"][name="case_ids"]');
    if (!box) { return false; }
    box.checked = !box.checked;
    row.classList.toggle("selected", box.checked);
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && event.target && event.target.form) {
      var form = event.target.form;
      var submitter = event.shiftKey ? form.querySelector("[data-then-next]") : null;
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
      event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "x" && toggleSelected()) { event.preventDefault(); return; }
    if (event.key === "/") {
      var search = document.querySelector("[data-search]");
      if (search) {
        var details = search.closest("details");
        if (details) { details.open = true; }
        search.focus();
        event.preventDefault();
        return;
      }
    }
    var key = event.key;
    if (pendingG) {
      pendingG = false;
      if (goTo[key]) { window.location.assign(goTo[key]); event.preventDefault(); }
      return;
    }
    if (key === "g") { pendingG = true; return; }
    if (key === "?") {
      if (openHelp()) { event.preventDefault(); }
      return;
    }
    if (key === "j") { moveRow(1); event.preventDefault(); return; }
    if (key === "k") { moveRow(-1); event.preventDefault(); return; }
    if (key === "b") { toggleBlur(); event.preventDefault(); return; }
    if ("cdenvr".indexOf(key) !== -1 && key.length === 1) {
      if (clickShortcut(key)) { event.preventDefault(); }
    }
  });

  function toggleBlur() {
    var box = document.querySelector("[data-blur]");
    if (!box) { return; }
    var blurred = box.classList.toggle("blurred");
    var button = document.querySelector("[data-blur-toggle]");
    if (button) { button.setAttribute("aria-pressed", blurred ? "false" : "true"); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-blur-toggle]")) { toggleBlur(); }
    if (target && target.closest && target.closest("[data-help]")) { openHelp(); }
    if (target && target.name === "case_ids" && target.closest) {
      var tr = target.closest("tr");
      if (tr) { tr.classList.toggle("selected", target.checked); }
    }
  });

  // Live preview: a form marked data-preview posts its fields (with the CSRF token) to its data-preview URL
  // and swaps the returned HTML fragment into its data-target, a moment after the last change.
  function wirePreview(form) {
    var url = form.getAttribute("data-preview");
    var target = document.getElementById(form.getAttribute("data-target"));
    var timer = null;
    function run() {
      var body = new URLSearchParams(new FormData(form));
      var token = form.querySelector('input[name="csrf_token"]');
      target.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRF-Token": token ? token.value : "", "Accept": "text/html" }
      }).then(function (response) { return response.text(); })
        .then(function (html) { target.innerHTML = html; target.setAttribute("aria-busy", "false"); })
        .catch(function () { target.setAttribute("aria-busy", "false"); });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(run, 50); });
  }

  // The "(preset)" choice of each category shows the tier the selected preset excludes from.
  function wirePresetLabels(select) {
    select.addEventListener("change", function () {
      var tiers = JSON.parse(select.selectedOptions[0].getAttribute("data-tiers") || "{}");
      Array.prototype.forEach.call(document.querySelectorAll("option[data-default-for]"), function (option) {
        var tier = tiers[option.getAttribute("data-default-for")];
        if (tier) { option.textContent = tier + option.getAttribute("data-suffix"); }
      });
    });
  }

  // Destructive actions (revoking a key, activating a policy, membership changes) ask first: data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-preview]"), wirePreview);
    Array.prototype.forEach.call(document.querySelectorAll("select[data-preset-select]"), wirePresetLabels);
  });
})();
