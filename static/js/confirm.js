// A form marked data-confirm="…" asks its question before it is sent: for a
// step that cannot be undone. Without scripts the form is sent as it is.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
