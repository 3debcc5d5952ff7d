/* Inside a partner's iframe: tell the host page our height, and nothing else.
   The message carries a number only: never answers, choices or results. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function post() {
    // The root's own box: scrollHeight never drops below the frame's height, so a
    // frame sized for a long page would never shrink back for a short one.
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "valgomat:height", height: height }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener("load", post);
  document.addEventListener("toggle", post, true);
  post();
})();
