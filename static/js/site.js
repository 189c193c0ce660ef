// Small progressive enhancements; every page works without JavaScript.
// Forms marked data-enhance are posted with fetch() and the film's actions
// fragment ([data-fragment]) is swapped in place; rating forms (data-autosubmit)
// post as soon as a star is chosen. Any failure falls back to a normal submit.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var FRAGMENT_HEADER = "X-Fragment";
  var pending = new WeakMap();

  function announce(text) {
    var region = document.getElementById("live-status");
    if (region) { region.textContent = ""; region.textContent = text; }
  }

  function updateRatedCount(before, after) {
    var counter = document.querySelector("[data-rated-count]");
    if (!counter || before === after) { return; }
    var value = parseInt(counter.textContent, 10) || 0;
    counter.textContent = String(Math.max(0, value + (after === "1" ? 1 : -1)));
  }

  function send(form, submitter) {
    var fragment = form.closest("[data-fragment]");
    if (!fragment || !window.fetch || !window.FormData) { form.submit(); return; }
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    // Focus inside the block is put back after the swap: on the same control
    // when it still exists (by id), else on the chosen star or the first one
    // (e.g. "Clear rating", which disappears with the rating).
    var hadFocus = Boolean(document.activeElement && fragment.contains(document.activeElement));
    var focusedId = hadFocus ? document.activeElement.id : "";
    fragment.setAttribute("aria-busy", "true");
    // The attribute, not form.action: the watchlist's forms hold an input named "action", which
    // form.action returns instead, so they posted to ".../[object HTMLInputElement]" and fell back.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: (function () { var h = {}; h[FRAGMENT_HEADER] = "1"; return h; })()
    }).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error("fallback"); }
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var replacement = holder.firstElementChild;
      if (!replacement) { throw new Error("fallback"); }
      var before = fragment.getAttribute("data-rated");
      fragment.replaceWith(replacement);
      updateRatedCount(before, replacement.getAttribute("data-rated"));
      // What the POST did ("Added … to your watchlist"), else the rating it leaves ("Rated 4").
      var status = replacement.querySelector(".rating-value");
      var message = replacement.getAttribute("data-announce") || (status ? status.textContent.trim() : "");
      if (message) { announce(message); }
      var target = focusedId && document.getElementById(focusedId);
      if (!target || target.disabled) {
        target = replacement.querySelector("input[name=score]:checked") || replacement.querySelector("button, input[type=radio]");
      }
      if (target && hadFocus) { target.focus(); }
    }).catch(function () {
      form.submit();
    });
  }

  // On a phone the browse filters start folded so the results come first.
  if (window.matchMedia && window.matchMedia("(max-width: 720px)").matches) {
    document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (panel) { panel.open = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-enhance]")) { return; }
    event.preventDefault();
    send(form, event.submitter);
  });

  // Arrow keys walk a radio group one half star at a time: wait a moment
  // before saving so only the star the user settles on is posted.
  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input.form;
    if (!form || !form.matches("form[data-autosubmit]") || input.name !== "score") { return; }
    clearTimeout(pending.get(form));
    pending.set(form, setTimeout(function () { send(form, null); }, 350));
  });
})();
