// The elder-friendly (适老化) display mode, put on before the page is drawn, so
// a reader who chose it never sees the standard page flash first. Loaded
// without defer in the head (base.html, portal/_site_head.html); tiny on
// purpose. The choice lives on the device (localStorage), never on the server:
// every reader gets the same cached bytes. "#elder" in the address switches
// the mode on (and keeps it), so a tool such as Lighthouse can open a page in
// it. static/js/elder.js wires the header's button.
(function () {
  var root = document.documentElement;
  var on = location.hash === "#elder";
  try {
    if (on) {
      localStorage.setItem("portal-elder", "1");
    } else {
      on = localStorage.getItem("portal-elder") === "1";
    }
  } catch (error) {
    // Storage refused (a private window, a locked-down browser): the mode
    // holds for this page only.
  }
  // The button works only with this script: without it, it stays hidden.
  root.classList.add("elder-js");
  if (on) root.classList.add("elder");
})();
