/* The portal's only script: register the service worker that keeps the rights pages and the
   office directory for offline use, and tell it the page's language. Pages work without it. */
"use strict";
(function () {
  if (!("serviceWorker" in navigator)) return;
  var lang = document.documentElement.lang;
  navigator.serviceWorker.register("/portal/sw.js", { scope: "/portal/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (registration.active) registration.active.postMessage({ language: lang });
  }).catch(function () { /* offline use is a bonus: the pages work without it */ });
})();
