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


  // Buttons with data-confirm-click ask before submitting (publish now).
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-confirm-click]");
    if (btn && !window.confirm(btn.getAttribute("data-confirm-click"))) {
      ev.preventDefault();
    }
  });

  // Composer: a channel's variant section shows while the channel is chosen.
  document.addEventListener("change", function (ev) {
    var box = ev.target;
    if (!box.matches || !box.matches("input[data-variant-toggle]")) return;
    var section = document.getElementById("variant-" + box.getAttribute("data-variant-toggle"));
    if (section) section.hidden = !box.checked;
  });

  // Composer: snippets go into the text area last focused, at the cursor.
  var lastText = null;
  document.addEventListener("focusin", function (ev) {
    if (ev.target.tagName === "TEXTAREA" && ev.target.closest("#compose-form")) lastText = ev.target;
  });
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-insert-snippet]");
    if (!btn) return;
    var sel = document.getElementById(btn.getAttribute("data-insert-snippet"));
    var ta = lastText || document.querySelector("[data-snippet-target]");
    if (!sel || !ta) return;
    var at = typeof ta.selectionStart === "number" ? ta.selectionStart : ta.value.length;
    var before = ta.value.slice(0, at), after = ta.value.slice(ta.selectionEnd || at);
    var gap = before && !/\s$/.test(before) ? " " : "";
    ta.value = before + gap + sel.value + after;
    ta.focus();
    ta.setSelectionRange(at + gap.length + sel.value.length, at + gap.length + sel.value.length);
    ta.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // Composer: after an upload from the media picker, its inputs are emptied.
  document.addEventListener("mediaAdded", function () {
    ["picker-file", "picker-alt"].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) el.value = "";
    });
  });

  // Calendar: drag a scheduled post onto another day to move it there, at
  // the same time of day, or in the week view onto another hour; the post
  // page's form does the same without a mouse.
  document.addEventListener("dragstart", function (ev) {
    var item = ev.target.closest && ev.target.closest("[data-post-id]");
    if (!item) return;
    ev.dataTransfer.effectAllowed = "move";
    ev.dataTransfer.setData("text/plain", item.getAttribute("data-post-id") + " " + item.getAttribute("data-time"));
  });
  function dayOf(ev) {
    return ev.target.closest && ev.target.closest("[data-calendar] [data-date]");
  }
  document.addEventListener("dragover", function (ev) {
    var day = dayOf(ev);
    if (!day) return;
    ev.preventDefault();
    day.classList.add("drop");
  });
  document.addEventListener("dragleave", function (ev) {
    var day = dayOf(ev);
    if (day) day.classList.remove("drop");
  });
  document.addEventListener("drop", function (ev) {
    var day = dayOf(ev);
    if (!day) return;
    ev.preventDefault();
    day.classList.remove("drop");
    var parts = (ev.dataTransfer.getData("text/plain") || "").split(" ");
    if (!/^\d+$/.test(parts[0] || "")) return;
    var cal = day.closest("[data-calendar]");
    var time = parts[1] || "09:00";
    var hour = day.getAttribute("data-hour");
    if (hour !== null) {
      // The week view's hour grid: the drop sets the hour, keeping the minutes.
      time = ("0" + hour).slice(-2) + ":" + (time.split(":")[1] || "00");
    }
    var body = new URLSearchParams({ at: day.getAttribute("data-date") + "T" + time, timezone: cal.getAttribute("data-tz") });
    fetch(cal.getAttribute("data-posts") + parts[0] + "/reschedule", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (res) {
        if (res.ok) { window.location.reload(); return; }
        var status = document.getElementById("cal-status");
        if (status) { status.textContent = status.getAttribute("data-move-failed"); status.hidden = false; }
      });
  });

  // Phones: the menu collapses behind its button (see app.css).
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-menu-toggle]");
    if (!btn) return;
    var bar = btn.closest(".topbar");
    var open = bar.classList.toggle("menu-open");
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  });

  document.addEventListener("DOMContentLoaded", function () {
    var bar = document.querySelector(".topbar");
    if (bar && bar.querySelector("[data-menu-toggle]")) bar.classList.add("menu-ready");

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

    // The server shows times in the viewer's zone: tell it the browser's.
    var viewerZone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (viewerZone && /^[A-Za-z0-9_+\/-]+$/.test(viewerZone) && document.cookie.indexOf("relais_tz=" + viewerZone) < 0) {
      document.cookie = "relais_tz=" + viewerZone + "; path=/; max-age=31536000; SameSite=Lax";
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

  // Inbox keyboard shortcuts (documented on the pages): on the list, j/k
  // move between messages, r or Enter opens one, e closes it; on a message,
  // r writes a reply, e closes, u goes back. Typing in a field is left alone.
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-inbox-row]"));
    var replyBox = document.getElementById("reply-text");
    if (!rows.length && !replyBox) return;
    var cur = rows.findIndex(function (r) { return r.classList.contains("selected"); });
    var select = function (i) {
      if (cur >= 0) rows[cur].classList.remove("selected");
      rows[i].classList.add("selected");
      rows[i].scrollIntoView({ block: "nearest" });
      var link = rows[i].querySelector(".inbox-link");
      if (link) link.focus();
    };
    var closeForm;
    switch (ev.key) {
    case "j":
      if (rows.length) { select(Math.min(cur + 1, rows.length - 1)); ev.preventDefault(); }
      break;
    case "k":
      if (rows.length) { select(Math.max(cur - 1, 0)); ev.preventDefault(); }
      break;
    case "r":
      if (replyBox) { replyBox.focus(); ev.preventDefault(); }
      else if (cur >= 0) { rows[cur].querySelector(".inbox-link").click(); ev.preventDefault(); }
      break;
    case "e":
      closeForm = document.getElementById("inbox-close");
      if (closeForm) { closeForm.requestSubmit(); ev.preventDefault(); }
      else if (cur >= 0) {
        var box = rows[cur].querySelector("input[type=checkbox]");
        var state = document.getElementById("bulk-state");
        if (box && state) {
          rows.forEach(function (r) { var b = r.querySelector("input[type=checkbox]"); if (b) b.checked = false; });
          box.checked = true;
          state.value = "closed";
          document.getElementById("inbox-bulk").requestSubmit();
          ev.preventDefault();
        }
      }
      break;
    case "u":
      if (replyBox) {
        var back = document.querySelector("a[href$='/inbox']");
        if (back) { back.click(); ev.preventDefault(); }
      }
      break;
    }
  });
})();

// A saved reply chosen in the inbox's reply box goes into the text to send,
// placeholders already filled; the person edits it before sending.
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    var sel = ev.target;
    if (!sel.matches || !sel.matches("select[data-insert-into]") || sel.value === "") return;
    var box = document.getElementById(sel.getAttribute("data-insert-into"));
    if (!box) return;
    box.value = sel.value;
    box.focus();
    sel.value = "";
  });
})();
