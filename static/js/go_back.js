// An error page's "返回上一页" button, for when the browser did not say which
// page the reader came from: shown only when there is a page to go back to.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-go-back]");
  if (!button || window.history.length < 2) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    window.history.back();
  });
});
