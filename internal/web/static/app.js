// relais UI behaviours. Loaded as a file (the Content-Security-Policy forbids
// inline scripts); every page works without it.
(function () {
  "use strict";

  // Forms with data-confirm ask before submitting (remove, revoke).
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  }, true);

  // Copy buttons copy the input named by data-copy.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-copy]");
    if (!btn) return;
    var input = document.getElementById(btn.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    var done = function () {
      var label = btn.textContent;
      btn.textContent = btn.getAttribute("data-copied") || label;
      setTimeout(function () { btn.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // The workspace switcher submits on change; its button is for no-JS browsers.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.submit(); });
    });
    document.querySelectorAll("[data-hide-with-js]").forEach(function (el) { el.hidden = true; });

    // The slug follows the name until the user edits it.
    var name = document.querySelector("[data-slug-source]");
    var slug = document.querySelector("[data-slug-target]");
    if (name && slug) {
      var touched = slug.value !== "";
      slug.addEventListener("input", function () { touched = slug.value !== ""; });
      name.addEventListener("input", function () {
        if (!touched) slug.value = slugify(name.value);
      });
    }

    // A new workspace defaults to the browser's time zone.
    var tz = document.querySelector("select[data-detect-tz]");
    if (tz && window.Intl) {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      for (var i = 0; i < tz.options.length; i++) {
        if (tz.options[i].value === zone) { tz.selectedIndex = i; break; }
      }
    }
  });

  function slugify(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/ß/g, "ss").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64).replace(/-+$/, "");
  }
})();
