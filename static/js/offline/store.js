// The offline queue on this device, shared by the pages (queue.js) and the
// service worker (sw.js): forms written without signal, kept in IndexedDB
// under the id of the user who wrote them, and sent when the connection
// returns.
//
// What a queued item holds in the clear: its user id, its kind, when it was
// written, its state and its size. Its content (the address it goes to, every
// field, every photo) is sealed: AES-GCM under a key agreed (ECDH, P-256)
// between a throw-away key made for the item and the user's public key. The
// public key is kept on the device so that a page opened without signal can
// still seal; the private key is handed by the server only to that user's own
// session (/staff/offline/key/) and kept in memory only while sending. So
// another user signing in on this device, even with the browser's developer
// tools, cannot read the items.
(function (scope) {
  "use strict";

  var DB_NAME = "portal-offline";
  var DB_VERSION = 1;
  // Photos and other files of one item, all together.
  var MAX_BYTES = 5 * 1024 * 1024;
  var EC = { name: "ECDH", namedCurve: "P-256" };
  var AES = { name: "AES-GCM", length: 256 };

  var dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = scope.indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          var items = db.createObjectStore("items", { keyPath: "id" });
          items.createIndex("user", "user");
          db.createObjectStore("keys", { keyPath: "user" });
          db.createObjectStore("people", { keyPath: "user" });
        };
        request.onsuccess = function () {
          resolve(request.result);
        };
        request.onerror = function () {
          dbPromise = null;
          reject(request.error);
        };
      });
    }
    return dbPromise;
  }

  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result;
        var request = work(tx.objectStore(storeName));
        if (request) {
          request.onsuccess = function () {
            result = request.result;
          };
        }
        tx.oncomplete = function () {
          resolve(result);
        };
        tx.onerror = tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  function userKey(user) {
    return String(user);
  }

  // Items of one user, oldest first. Never anyone else's.
  function items(user) {
    return run("items", "readonly", function (store) {
      return store.index("user").getAll(userKey(user));
    }).then(function (rows) {
      return (rows || []).sort(function (a, b) {
        return a.created - b.created;
      });
    });
  }

  function putItem(item) {
    return run("items", "readwrite", function (store) {
      return store.put(item);
    });
  }

  function removeItem(user, id) {
    return run("items", "readwrite", function (store) {
      var request = store.get(id);
      request.onsuccess = function () {
        if (request.result && request.result.user === userKey(user)) {
          store.delete(id);
        }
      };
      return null;
    });
  }

  function removeAll(user) {
    return items(user).then(function (rows) {
      return Promise.all(
        rows.map(function (row) {
          return removeItem(user, row.id);
        })
      );
    });
  }

  function setState(user, id, state, error) {
    return run("items", "readwrite", function (store) {
      var request = store.get(id);
      request.onsuccess = function () {
        var item = request.result;
        if (item && item.user === userKey(user)) {
          item.state = state;
          item.error = error || "";
          store.put(item);
        }
      };
      return null;
    });
  }

  // People of the user's station, for choosing whom a visit is for: name and
  // village only (the server sends nothing else).
  function savePeople(user, people) {
    return run("people", "readwrite", function (store) {
      return store.put({ user: userKey(user), people: people, at: Date.now() });
    });
  }

  function loadPeople(user) {
    return run("people", "readonly", function (store) {
      return store.get(userKey(user));
    });
  }

  function forget(user) {
    return Promise.all([
      run("people", "readwrite", function (store) {
        return store.delete(userKey(user));
      }),
    ]);
  }

  function savePublicKey(user, jwk) {
    return run("keys", "readwrite", function (store) {
      return store.put({ user: userKey(user), public: jwk });
    });
  }

  function loadPublicKey(user) {
    return run("keys", "readonly", function (store) {
      return store.get(userKey(user));
    }).then(function (row) {
      return row ? row.public : null;
    });
  }

  // --- sealing -------------------------------------------------------------

  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  // One buffer: 4 bytes of header length, the JSON header, the files' bytes.
  function pack(payload) {
    var header = {
      url: payload.url,
      fields: payload.fields,
      files: payload.files.map(function (f) {
        return { field: f.field, name: f.name, type: f.type, size: f.data.byteLength };
      }),
    };
    var head = encoder.encode(JSON.stringify(header));
    var total = 4 + head.byteLength;
    payload.files.forEach(function (f) {
      total += f.data.byteLength;
    });
    var out = new Uint8Array(total);
    new DataView(out.buffer).setUint32(0, head.byteLength);
    out.set(head, 4);
    var at = 4 + head.byteLength;
    payload.files.forEach(function (f) {
      out.set(new Uint8Array(f.data), at);
      at += f.data.byteLength;
    });
    return out;
  }

  function unpack(buffer) {
    var bytes = new Uint8Array(buffer);
    var length = new DataView(bytes.buffer).getUint32(0);
    var header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + length)));
    var at = 4 + length;
    header.files = header.files.map(function (f) {
      var data = bytes.slice(at, at + f.size);
      at += f.size;
      return { field: f.field, name: f.name, type: f.type, data: data };
    });
    return header;
  }

  function seal(publicJwk, bytes) {
    var subtle = scope.crypto.subtle;
    return Promise.all([
      subtle.importKey("jwk", publicJwk, EC, false, []),
      subtle.generateKey(EC, true, ["deriveKey"]),
    ]).then(function (keys) {
      var iv = scope.crypto.getRandomValues(new Uint8Array(12));
      return subtle
        .deriveKey({ name: "ECDH", public: keys[0] }, keys[1].privateKey, AES, false, [
          "encrypt",
        ])
        .then(function (aes) {
          return Promise.all([
            subtle.encrypt({ name: "AES-GCM", iv: iv }, aes, bytes),
            subtle.exportKey("jwk", keys[1].publicKey),
          ]);
        })
        .then(function (done) {
          return { epk: done[1], iv: iv, data: done[0] };
        });
    });
  }

  function unseal(privateJwk, sealed) {
    var subtle = scope.crypto.subtle;
    return Promise.all([
      subtle.importKey("jwk", privateJwk, EC, false, ["deriveKey"]),
      subtle.importKey("jwk", sealed.epk, EC, false, []),
    ])
      .then(function (keys) {
        return subtle.deriveKey({ name: "ECDH", public: keys[1] }, keys[0], AES, false, [
          "decrypt",
        ]);
      })
      .then(function (aes) {
        return subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, aes, sealed.data);
      });
  }

  // --- the server ----------------------------------------------------------

  // {user, ...} from one of the portal's JSON endpoints; "expired" when the
  // session is gone, "offline" when the server cannot be reached.
  function getJson(url) {
    return scope
      .fetch(url, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
      .then(
        function (response) {
          if (response.ok) {
            return response.json();
          }
          if (response.status === 403 || response.type === "opaqueredirect") {
            return "expired";
          }
          return "offline";
        },
        function () {
          return "offline";
        }
      );
  }

  function isLogin(response, loginPath) {
    try {
      return new URL(response.url).pathname === loginPath;
    } catch (e) {
      return false;
    }
  }

  // Post one item's form. Resolves to {result, response}: "sent" (the server
  // answered with a redirect to the saved thing, which is what every form
  // here does), "expired", "offline" (no answer, or a server that is down:
  // try again later) or "rejected" (the server answered with the form again:
  // something in it must be changed).
  function post(payload, token, loginPath) {
    var body = new FormData();
    payload.fields.forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") {
        body.append(pair[0], pair[1]);
      }
    });
    body.append("csrfmiddlewaretoken", token);
    payload.files.forEach(function (f) {
      body.append(f.field, new Blob([f.data], { type: f.type }), f.name);
    });
    return scope
      .fetch(payload.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
      })
      .then(
        function (response) {
          if (isLogin(response, loginPath)) {
            return { result: "expired", response: response };
          }
          if (response.redirected && response.ok) {
            return { result: "sent", response: response };
          }
          if (response.status === 403) {
            return { result: "expired", response: response };
          }
          if (response.status >= 500 || response.status === 429) {
            return { result: "offline", response: response };
          }
          return { result: "rejected", response: response };
        },
        function () {
          return { result: "offline", response: null };
        }
      );
  }

  // Send every waiting item of the session's user. ``urls`` holds token, key
  // and login. Resolves to {state, sent, user}: state is "done", "expired",
  // "offline" or "other-user" (the session belongs to someone else: their
  // items are not touched). ``describe(response)`` may turn a refusal into
  // words (pages only: the worker has no DOM).
  var flushing = null;

  function flush(urls, expectedUser, describe) {
    if (flushing) {
      return flushing;
    }
    // One sender at a time across the pages and the service worker: two that
    // sent the same item at once would both be answered with one saved row,
    // but the second would wait on the first for nothing.
    var locks = scope.navigator && scope.navigator.locks;
    flushing = locks
      ? locks.request("portal-offline-flush", function () {
          return flushOnce(urls, expectedUser, describe);
        })
      : flushOnce(urls, expectedUser, describe);
    flushing = flushing.then(
      function (outcome) {
        flushing = null;
        return outcome;
      },
      function (error) {
        flushing = null;
        throw error;
      }
    );
    return flushing;
  }

  function flushOnce(urls, expectedUser, describe) {
    return getJson(urls.token)
      .then(function (session) {
        if (session === "offline" || session === "expired") {
          return { state: session, sent: 0 };
        }
        var user = userKey(session.user);
        if (expectedUser != null && userKey(expectedUser) !== user) {
          return { state: "other-user", sent: 0 };
        }
        return items(user).then(function (rows) {
          rows = rows.filter(function (row) {
            return row.state !== "rejected";
          });
          if (!rows.length) {
            return { state: "done", sent: 0, user: user };
          }
          return getJson(urls.key).then(function (key) {
            if (key === "offline" || key === "expired") {
              return { state: key, sent: 0 };
            }
            if (userKey(key.user) !== user) {
              return { state: "other-user", sent: 0 };
            }
            return savePublicKey(user, key.public).then(function () {
              return sendEach(rows, user, key.private, session.token, urls, describe);
            });
          });
        });
      });
  }

  function sendEach(rows, user, privateJwk, token, urls, describe) {
    var sent = 0;
    var i = 0;
    function next() {
      if (i >= rows.length) {
        return Promise.resolve({ state: "done", sent: sent, user: user });
      }
      var row = rows[i++];
      return setState(user, row.id, "sending")
        .then(function () {
          return unseal(privateJwk, row.sealed);
        })
        .then(function (buffer) {
          return post(unpack(buffer), token, urls.login);
        })
        .then(function (answer) {
          if (answer.result === "sent") {
            sent += 1;
            return removeItem(user, row.id).then(next);
          }
          if (answer.result === "rejected") {
            var words = describe ? describe(answer.response) : Promise.resolve("");
            return words.then(function (text) {
              return setState(user, row.id, "rejected", text).then(next);
            });
          }
          return setState(user, row.id, "waiting").then(function () {
            return { state: answer.result, sent: sent, user: user };
          });
        });
    }
    return next();
  }

  // Read a form into a payload: its address, its fields, its files' bytes.
  function readForm(form) {
    var data = new FormData(form);
    var fields = [];
    var files = [];
    data.forEach(function (value, name) {
      if (typeof value === "string") {
        fields.push([name, value]);
      } else if (value && value.size) {
        files.push({ field: name, name: value.name, type: value.type, blob: value });
      }
    });
    return Promise.all(
      files.map(function (f) {
        return f.blob.arrayBuffer().then(function (buffer) {
          return { field: f.field, name: f.name, type: f.type, data: buffer };
        });
      })
    ).then(function (read) {
      return { url: form.action, fields: fields, files: read };
    });
  }

  function fileBytes(form) {
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        total += file.size;
      });
    });
    return total;
  }

  // Seal a payload for ``user`` and keep it, waiting.
  function enqueue(user, id, kind, payload, publicJwk) {
    var bytes = pack(payload);
    return seal(publicJwk, bytes).then(function (sealed) {
      return putItem({
        id: id,
        user: userKey(user),
        kind: kind,
        created: Date.now(),
        size: bytes.byteLength,
        state: "waiting",
        error: "",
        sealed: sealed,
      });
    });
  }

  scope.PortalOffline = {
    MAX_BYTES: MAX_BYTES,
    items: items,
    enqueue: enqueue,
    removeItem: removeItem,
    removeAll: removeAll,
    flush: flush,
    post: post,
    getJson: getJson,
    readForm: readForm,
    fileBytes: fileBytes,
    savePeople: savePeople,
    loadPeople: loadPeople,
    savePublicKey: savePublicKey,
    loadPublicKey: loadPublicKey,
    forget: forget,
  };
})(typeof self !== "undefined" ? self : window);
