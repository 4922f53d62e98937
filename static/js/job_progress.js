// The job page's progress bar: polls the job's status (JSON) every second and
// updates the bar, the count and the message; reloads the page once the job
// has finished, to show its result, errors and download link.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-job-status-url");
  var field = function (name) {
    return box.querySelector('[data-job-field="' + name + '"]');
  };
  var delay = 1000;

  function show(state) {
    var bar = field("bar");
    if (state.total) {
      bar.max = state.total;
      bar.value = state.done;
      field("count").textContent =
        state.done + " / " + state.total + "（" + state.percent + "%）";
    } else {
      bar.removeAttribute("value");
    }
    field("status_label").textContent = state.status_label;
    field("status_label").className = "badge job-status job-status-" + state.status;
    field("message").textContent = state.message;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A network hiccup or a restarting server: try again, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
