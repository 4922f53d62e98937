// The offline queue on the pages of a signed-in user (templates/portal/
// _offline_queue.html): forms marked data-offline are kept on the phone when
// they cannot be sent, shown as 待发送 in the header, and sent when the
// connection returns, with a fresh CSRF token. Only the signed-in user's items
// are read or sent (static/js/offline/store.js seals them for that user).
(function () {
  "use strict";
  var holder = document.querySelector("[data-offline-user]");
  if (!holder || !window.PortalOffline || !window.indexedDB || !window.crypto.subtle) {
    return;
  }
  var store = window.PortalOffline;
  var user = holder.getAttribute("data-offline-user");
  var urls = {
    token: holder.getAttribute("data-token-url"),
    key: holder.getAttribute("data-key-url"),
    login: holder.getAttribute("data-login-url"),
  };
  var toggle = holder.querySelector("[data-offline-toggle]");
  var panel = holder.querySelector("[data-offline-panel]");
  var count = holder.querySelector("[data-offline-count]");
  var list = holder.querySelector("[data-offline-list]");
  var status = holder.querySelector("[data-offline-status]");
  var sendButton = holder.querySelector("[data-offline-send]");
  var dialog = holder.querySelector("[data-offline-dialog]");
  // The words come from the page (templates/portal/_offline_queue.html), in
  // the reader's language; %(name)s is filled in.
  var words = {};
  var texts = holder.querySelector("template[data-offline-texts]");
  Array.prototype.forEach.call(texts ? texts.content.querySelectorAll("[data-key]") : [], function (el) {
    words[el.getAttribute("data-key")] = el.textContent;
  });
  function t(key, params) {
    return (words[key] || key).replace(/%\((\w+)\)s/g, function (all, name) {
      return params && name in params ? String(params[name]) : all;
    });
  }
  window.PortalOfflineText = t;
  var KINDS = { visit: t("kind-visit"), report: t("kind-report") };
  var STATES = {
    waiting: t("state-waiting"),
    sending: t("state-sending"),
    rejected: t("state-rejected"),
  };
  var MB = 1024 * 1024;
  var FLASH = "portal-offline-flash";
  var RETRY_MS = 20000;
  var retry = null;

  function showFlash() {
    var saved = window.sessionStorage.getItem(FLASH);
    window.sessionStorage.removeItem(FLASH);
    var main = document.getElementById("main");
    var texts = saved ? JSON.parse(saved) : [];
    if (!main || !texts.length || main.querySelector(".messages")) {
      return;
    }
    var box = document.createElement("div");
    box.setAttribute("role", "status");
    var ul = document.createElement("ul");
    ul.className = "messages";
    texts.forEach(function (text) {
      var li = document.createElement("li");
      li.className = "message message-success";
      li.textContent = text;
      ul.appendChild(li);
    });
    box.appendChild(ul);
    main.insertBefore(box, main.firstChild);
  }
  showFlash();

  function say(text) {
    status.textContent = text;
  }

  function render() {
    return store.items(user).then(function (rows) {
      holder.hidden = rows.length === 0;
      count.textContent = String(rows.length);
      toggle.setAttribute("aria-label", t("count", { n: rows.length }));
      list.textContent = "";
      rows.forEach(function (row) {
        var li = document.createElement("li");
        li.className = "offline-item offline-" + row.state;
        var what = document.createElement("span");
        var when = new Date(row.created).toLocaleString(document.documentElement.lang || "zh-CN", { hour12: false });
        what.textContent = (KINDS[row.kind] || row.kind) + " · " + when;
        var state = document.createElement("span");
        state.className = "badge " + (row.state === "rejected" ? "badge-warn" : "");
        state.textContent = STATES[row.state] || STATES.waiting;
        li.appendChild(what);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(state);
        if (row.error) {
          var error = document.createElement("span");
          error.className = "offline-error";
          error.textContent = row.error;
          li.appendChild(error);
        }
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "button button-secondary offline-drop";
        drop.textContent = t("drop");
        drop.setAttribute("aria-label", t("drop-label", { kind: KINDS[row.kind] || "", when: when }));
        drop.addEventListener("click", function () {
          if (window.confirm(t("drop-confirm"))) {
            store.removeItem(user, row.id).then(render);
          }
        });
        li.appendChild(drop);
        list.appendChild(li);
      });
      return rows;
    });
  }

  function describe(response) {
    // The server answered with the form again: its first error, in its words.
    return response
      .text()
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var error = doc.querySelector(".errorlist li, [role=alert]");
        var text = error ? error.textContent.trim() : "";
        return text ? t("rejected", { why: text }) : t("rejected-plain");
      })
      .catch(function () {
        return t("rejected-plain");
      });
  }

  var OUTCOMES = {
    offline: t("offline"),
    expired: t("expired"),
    "other-user": t("other-user"),
  };

  function send() {
    if (!navigator.onLine) {
      say(OUTCOMES.offline);
      return Promise.resolve({ state: "offline", sent: 0 });
    }
    return store.items(user).then(function (rows) {
      if (!rows.length) {
        return { state: "done", sent: 0 };
      }
      say(t("sending"));
      return store
        .flush(urls, user, describe)
        .then(function (outcome) {
          if (outcome.state === "done") {
            say(outcome.sent ? t("sent", { n: outcome.sent }) : "");
          } else {
            say(OUTCOMES[outcome.state] || "");
          }
          if (outcome.state === "offline" && navigator.onLine && !retry) {
            // The phone has a connection but the send did not get through
            // (a weak signal, a server restarting): try again in a while.
            retry = window.setTimeout(function () {
              retry = null;
              send();
            }, RETRY_MS);
          }
          return render().then(function () {
            return outcome;
          });
        })
        .catch(function () {
          say(t("error"));
          return render().then(function () {
            return { state: "offline", sent: 0 };
          });
        });
    });
  }

  function askSync() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.ready
      .then(function (registration) {
        if (registration.sync) {
          return registration.sync.register("portal-offline-queue");
        }
      })
      .catch(function () {});
  }

  // The user's public key: from the server when it answers (kept on the
  // phone for sealing later without signal), else the copy on the phone.
  function publicKey() {
    return store.getJson(urls.key).then(function (key) {
      if (key && key.public && String(key.user) === user) {
        return store.savePublicKey(user, key.public).then(function () {
          return key.public;
        });
      }
      return store.loadPublicKey(user);
    });
  }

  function newKey(form) {
    var input = form.querySelector("input[name=client_key]");
    if (!input || !window.crypto.randomUUID) {
      return null;
    }
    if (!input.value) {
      input.value = window.crypto.randomUUID();
    }
    return input.value;
  }

  function keep(form, payload) {
    var id = newKey(form) || (window.crypto.randomUUID && window.crypto.randomUUID());
    var bytes = payload.files.reduce(function (sum, f) {
      return sum + f.data.byteLength;
    }, 0);
    if (bytes > store.MAX_BYTES) {
      return Promise.reject(new Error("too-big"));
    }
    return publicKey().then(function (jwk) {
      if (!jwk) {
        throw new Error("no-key");
      }
      return store.enqueue(user, id, form.getAttribute("data-offline"), payload, jwk);
    });
  }

  function notice(form, text, kind) {
    var box = form.querySelector("[data-offline-notice]");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-offline-notice", "");
      box.setAttribute("role", "status");
      form.insertBefore(box, form.firstChild);
    }
    box.className = "message message-" + (kind || "info");
    box.textContent = text;
    box.scrollIntoView({ block: "nearest" });
  }

  function kept(form) {
    form.reset();
    var input = form.querySelector("input[name=client_key]");
    if (input && window.crypto.randomUUID) {
      input.value = window.crypto.randomUUID();
    }
    notice(form, t("kept"), "success");
    askSync();
    return render();
  }

  // A form marked data-offline is sent by this script: through fetch when
  // online (the page then goes where the server sends it), into the queue when
  // the phone is offline or the send fails on the way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline]") || form.__offlineNative) {
      return;
    }
    if (store.fileBytes(form) > store.MAX_BYTES && !navigator.onLine) {
      event.preventDefault();
      notice(form, t("too-big-offline", { mb: store.MAX_BYTES / MB }), "error");
      return;
    }
    event.preventDefault();
    var button = event.submitter;
    if (button) {
      button.disabled = true;
    }
    newKey(form);
    store
      .readForm(form)
      .then(function (payload) {
        if (!navigator.onLine) {
          return keep(form, payload).then(function () {
            return kept(form);
          });
        }
        notice(form, t("sending"), "info");
        return store.getJson(urls.token).then(function (session) {
          if (session === "offline") {
            return keep(form, payload).then(function () {
              return kept(form);
            });
          }
          if (session === "expired" || String(session.user) !== user) {
            return keep(form, payload).then(function () {
              say(OUTCOMES.expired);
              return kept(form);
            });
          }
          return store.post(payload, session.token, urls.login).then(function (answer) {
            if (answer.result === "sent") {
              // The page the server sent us to showed its message already (to
              // fetch); carry the message over to the page we now open.
              return answer.response
                .text()
                .then(function (html) {
                  var doc = new DOMParser().parseFromString(html, "text/html");
                  var texts = Array.prototype.map.call(doc.querySelectorAll(".messages li"), function (li) {
                    return li.textContent.trim();
                  });
                  window.sessionStorage.setItem(FLASH, JSON.stringify(texts));
                })
                .catch(function () {})
                .then(function () {
                  window.location.assign(answer.response.url);
                });
            }
            if (answer.result === "rejected") {
              // Let the browser send it itself, to show the server's answer
              // (the form with what must be changed); nothing was saved.
              form.__offlineNative = true;
              HTMLFormElement.prototype.submit.call(form);
              return null;
            }
            return keep(form, payload).then(function () {
              return kept(form);
            });
          });
        });
      })
      .catch(function (error) {
        notice(
          form,
          error && error.message === "too-big"
            ? t("too-big", { mb: store.MAX_BYTES / MB })
            : t("cannot-keep"),
          "error"
        );
      })
      .then(function () {
        if (button) {
          button.disabled = false;
        }
      });
  });

  // Forms with photos say how much may wait on the phone.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-offline]"), function (form) {
    if (form.querySelector("input[type=file]") && !form.querySelector("[data-offline-limit]")) {
      var note = document.createElement("p");
      note.className = "meta";
      note.setAttribute("data-offline-limit", "");
      note.textContent = t("limit", { mb: store.MAX_BYTES / MB });
      var actions = form.querySelector(".actions");
      form.insertBefore(note, actions || null);
    }
  });

  toggle.addEventListener("click", function () {
    var open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  sendButton.addEventListener("click", send);

  // Signing out with items waiting asks what to do with them first.
  var logout = document.querySelector("form[data-offline-logout]");
  function signOut() {
    store
      .forget(user)
      .catch(function () {})
      .then(function () {
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
        }
        logout.__offlineNative = true;
        HTMLFormElement.prototype.submit.call(logout);
      });
  }
  if (logout && dialog) {
    var dialogStatus = dialog.querySelector("[data-offline-dialog-status]");
    logout.addEventListener("submit", function (event) {
      if (logout.__offlineNative) {
        return;
      }
      event.preventDefault();
      store.items(user).then(function (rows) {
        if (!rows.length) {
          signOut();
          return;
        }
        dialog.querySelector("[data-offline-dialog-count]").textContent = String(rows.length);
        dialogStatus.textContent = "";
        dialog.showModal();
      });
    });
    dialog.querySelector("[data-offline-dialog-send]").addEventListener("click", function () {
      dialogStatus.textContent = t("sending");
      send().then(function () {
        return store.items(user).then(function (rows) {
          var waiting = rows.filter(function (row) {
            return row.state !== "rejected";
          });
          if (!waiting.length && !rows.length) {
            signOut();
          } else {
            dialogStatus.textContent = t("not-sent", {
              n: rows.length,
              why: status.textContent || t("later"),
            });
          }
        });
      });
    });
    dialog.querySelector("[data-offline-dialog-discard]").addEventListener("click", function () {
      store.removeAll(user).then(signOut);
    });
    dialog.querySelector("[data-offline-dialog-cancel]").addEventListener("click", function () {
      dialog.close();
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register(holder.getAttribute("data-sw-url"), { scope: "/" })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({ type: "user", user: user });
        }
      })
      .catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "queue-changed") {
        var outcome = event.data.outcome || {};
        if (outcome.state === "done" && outcome.sent && String(outcome.user) === user) {
          say(t("sent", { n: outcome.sent }));
        }
        render();
      }
    });
  }

  window.addEventListener("online", function () {
    say("");
    send();
  });
  window.addEventListener("offline", function () {
    say(OUTCOMES.offline);
  });
  // data-offline-idle marks that the page has loaded its queue and tried
  // what waited: until then the hidden holder says nothing about the queue.
  render().then(function (rows) {
    if (rows.length && navigator.onLine) {
      send().then(function () {
        holder.setAttribute("data-offline-idle", "");
      });
      return;
    }
    holder.setAttribute("data-offline-idle", "");
    if (!rows.length) {
      // Keep the public key on the phone for sealing without signal later.
      store.loadPublicKey(user).then(function (jwk) {
        if (!jwk && navigator.onLine) {
          publicKey();
        }
      });
    }
  });
})();
