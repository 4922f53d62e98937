/* The 复制到公众号 button (templates/newsletter/staff/wechat.html): copies the
   export's styled HTML to the clipboard as text/html, with its plain text as
   text/plain beside it, so the 公众号 editor pastes the formatting. The HTML
   and text come from json_script blocks (data, never run); the messages from
   the button's data attributes, translated by the template. A file under
   /static/, as the site's Content-Security-Policy requires. */
(function () {
  "use strict";

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : "";
  }

  function setUp(button) {
    var status = document.getElementById(button.dataset.status);

    function say(message, ok) {
      status.textContent = message;
      status.className = "wechat-status message " + (ok ? "message-success" : "message-error");
    }

    button.addEventListener("click", function () {
      var html = read(button.dataset.html);
      var text = read(button.dataset.text);
      var clipboard = navigator.clipboard;
      var fail = function () { say(button.dataset.fail, false); };
      if (clipboard && clipboard.write && window.ClipboardItem) {
        var item = new window.ClipboardItem({
          "text/html": new Blob([html], { type: "text/html" }),
          "text/plain": new Blob([text], { type: "text/plain" })
        });
        clipboard.write([item]).then(function () { say(button.dataset.ok, true); }, fail);
      } else if (clipboard && clipboard.writeText) {
        // No rich clipboard here (an older browser): the words at least.
        clipboard.writeText(text).then(function () { say(button.dataset.textOnly, false); }, fail);
      } else {
        fail();
      }
    });
  }

  document.querySelectorAll("[data-wechat-copy]").forEach(setUp);
})();
