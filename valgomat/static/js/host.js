/* Valgomat host snippet for partner pages: resizes our iframes to fit.
   Accepts only {type: "valgomat:height", height: number} messages sent by one
   of our iframes from our own origin; everything else is ignored. */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : null;
  window.addEventListener("message", function (event) {
    if (!origin || event.origin !== origin) return;
    var data = event.data;
    if (!data || data.type !== "valgomat:height" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-valgomat]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.max(200, Math.min(data.height, 20000)) + "px";
      }
    }
  });
})();
