// The page for recording a visit without signal (beneficiaries/views/offline.py):
// fills its list of people from the server when it can, from the user's own
// copy on this phone when it cannot, and posts the form to the chosen file.
(function () {
  "use strict";
  var form = document.querySelector("form[data-visit-quick]");
  var holder = document.querySelector("[data-offline-user]");
  if (!form || !holder || !window.PortalOffline || !window.PortalOfflineText) {
    return;
  }
  var store = window.PortalOffline;
  var user = holder.getAttribute("data-offline-user");
  var select = form.querySelector("#id_person");
  var status = form.querySelector("[data-people-status]");
  var template = form.getAttribute("data-action-template");
  var t = window.PortalOfflineText;

  function fill(people, note) {
    while (select.options.length > 1) {
      select.remove(1);
    }
    var groups = {};
    people.forEach(function (person) {
      var village = person.village || t("no-village");
      if (!groups[village]) {
        groups[village] = document.createElement("optgroup");
        groups[village].label = village;
        select.appendChild(groups[village]);
      }
      var option = document.createElement("option");
      option.value = String(person.id);
      option.textContent = person.name + "（" + village + "）";
      groups[village].appendChild(option);
    });
    if (note) {
      status.textContent = note;
    }
  }

  function fromDevice(note) {
    return store.loadPeople(user).then(function (row) {
      if (row) {
        var when = new Date(row.at).toLocaleString(document.documentElement.lang || "zh-CN");
        fill(row.people, t("people-device", { why: note, when: when }));
      } else {
        status.textContent = t("people-none");
      }
    });
  }

  fetch(form.getAttribute("data-people-url"), {
    credentials: "same-origin",
    cache: "no-store",
  }).then(
    function (response) {
      if (!response.ok) {
        return fromDevice(t("people-server-down"));
      }
      return response.json().then(function (body) {
        fill(body.people, t("people-fresh"));
        return store.savePeople(user, body.people);
      });
    },
    function () {
      return fromDevice(t("people-offline"));
    }
  );

  // A page kept by the service worker was drawn once: each visit needs a key
  // of its own.
  var key = form.querySelector("input[name=client_key]");
  if (key && window.crypto && crypto.randomUUID) {
    key.value = crypto.randomUUID();
  }

  // The kept page may be days old: the visit is today's unless changed.
  var date = form.querySelector("input[name=date]");
  if (date) {
    date.value = today();
  }

  function today() {
    var now = new Date();
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function point() {
    form.action = select.value ? template.replace("/0/", "/" + select.value + "/") : "";
  }
  select.addEventListener("change", point);
  // Runs before queue.js's handler (this listener is on the form itself).
  form.addEventListener("submit", function (event) {
    point();
    if (!select.value) {
      event.preventDefault();
      event.stopImmediatePropagation();
      status.textContent = t("choose-person");
      select.focus();
    }
  });
})();
