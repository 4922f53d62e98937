// The header's 长辈模式 button (portal/_site_header.html): switches the
// elder-friendly display mode (static/css/elder.css) on and off, and keeps the
// choice on the device, for every page of the site. static/js/elder_early.js
// has already put the mode on before the page was drawn.
(function () {
  var KEY = "portal-elder";
  var root = document.documentElement;
  var buttons = document.querySelectorAll("[data-elder-toggle]");

  function keep(on) {
    try {
      if (on) localStorage.setItem(KEY, "1");
      else localStorage.removeItem(KEY);
    } catch (error) {
      // Not kept: the mode holds until the page is left.
    }
  }

  function show(on) {
    root.classList.toggle("elder", on);
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      keep(on);
      show(on);
    });
  });
  // "#elder" typed into the address of a page already open.
  window.addEventListener("hashchange", function () {
    if (location.hash === "#elder") {
      keep(true);
      show(true);
    }
  });
  // The mode switched in another tab of the site.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) show(event.newValue === "1");
  });
  show(root.classList.contains("elder"));
})();
