/* Inside a partner's iframe: tell the host page our height, and nothing else.
   The message carries a number only: never answers, choices or results. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "valgomat:height", height: height }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener("load", post);
  document.addEventListener("toggle", post, true);
  post();
})();
