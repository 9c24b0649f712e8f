/* Enlace's small behaviours, kept out of the HTML so the Content-Security-Policy can forbid
   inline scripts and event handlers.
   - <select data-autosubmit>: submits its form when the choice changes (language, office).
   - <form data-confirm="question"> and <button data-confirm="question">: ask before sending.
   - [data-picker]: shows the picker's filter box and hides the choices that do not match what
     is typed (accents and case ignored). Without JavaScript the whole list scrolls. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function setUpPickers(root) {
    root.querySelectorAll("[data-picker]").forEach(function (picker) {
      var box = picker.querySelector(".picker-filter");
      if (!box || !box.hidden) { return; }
      box.hidden = false;
    });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input.matches && input.matches("[data-picker-filter]"))) { return; }
    var picker = input.closest("[data-picker]");
    var query = fold(input.value);
    var shown = 0;
    picker.querySelectorAll(".picker-list label").forEach(function (label) {
      var box = label.querySelector("input");
      var match = !query || box.checked || fold(label.textContent).indexOf(query) !== -1;
      label.hidden = !match;
      if (match) { shown += 1; }
    });
    picker.querySelector("[data-picker-empty]").hidden = shown > 0;
  });

  // Enter in the filter box narrows the list; it must not send the whole form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-picker-filter]")) {
      event.preventDefault();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpPickers(document); });
  } else {
    setUpPickers(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { setUpPickers(event.target); });
})();
