/* Progressive enhancement for the voter pages. Without it every step is a
   plain link or form and gives the same result; with it the statements change
   in place (answers stay in the page and its URL, never sent anywhere else). */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  function enhanceSteps() {
    var form = $("answer-form");
    if (!form || !window.fetch || !window.history.pushState) return;
    // The statements come from a cacheable document; until it is here (or if it never
    // comes) the buttons submit the form as without JavaScript.
    fetch(form.getAttribute("data-statements"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (statements) { if (statements) runSteps(form, statements); })
      .catch(function () {});
  }

  function runSteps(form, statements) {
    function attr(name) { return form.getAttribute("data-" + name); }
    function hidden(name) {
      return Array.prototype.map.call(form.querySelectorAll("input[type=hidden][name=" + name + "]"),
        function (input) { return input.value; });
    }
    var total = statements.length;
    var number = parseInt(attr("number"), 10);
    var values = attr("values").split(",").map(Number);
    var letters = attr("letters"), importantLetters = attr("important-letters");
    var version = hidden("v")[0], parties = hidden("p"), theme = hidden("t")[0];
    var back = hidden("r")[0];  // "1": back to the result, "review": back to the review
    var code = (hidden("a")[0] || "").split("");
    while (code.length < total) code.push(".");

    function codeString() { return code.join("").replace(/\.+$/, ""); }

    function query(withBack) {
      var params = new URLSearchParams();
      params.set("v", version);
      if (codeString()) params.set("a", codeString());
      parties.forEach(function (p) { params.append("p", p); });
      if (withBack && back) params.set("r", back);
      if (theme) params.set("t", theme);
      return "?" + params.toString();
    }

    function stepUrl(n) { return attr("step-base") + n + query(true); }

    function keepCode() {  // the form's own copy, should it be submitted after all
      var input = form.querySelector("input[type=hidden][name=a]");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden"; input.name = "a";
        form.appendChild(input);
      }
      input.value = codeString();
    }

    function decode(ch) {
      if (letters.indexOf(ch) >= 0) return { value: values[letters.indexOf(ch)], important: false };
      if (importantLetters.indexOf(ch) >= 0) return { value: values[importantLetters.indexOf(ch)], important: true };
      return { value: null, important: false };
    }

    function setText(id, text, lang) {
      var node = $(id);
      node.textContent = text;
      if (lang) node.setAttribute("lang", lang);
    }

    function render(focus) {
      var s = statements[number - 1], previous = decode(code[number - 1]);
      setText("topic", s.topic, s.topicLang);
      setText("statement", s.text, s.textLang);
      setText("explanation-text", s.explanation, s.explanationLang);
      $("explanation").hidden = !s.explanation;
      $("explanation").open = false;
      $("progress-number").textContent = number;
      $("progress-bar").value = number;
      $("important").checked = previous.important;
      form.querySelectorAll("button[name=value]").forEach(function (button) {
        if (previous.value !== null && parseInt(button.value, 10) === previous.value) {
          button.setAttribute("aria-current", "true");
        } else {
          button.removeAttribute("aria-current");
        }
      });
      form.setAttribute("data-number", number);
      form.action = attr("step-base") + number + "/answer";
      $("back").href = number > 1 ? stepUrl(number - 1) : attr("intro-url");
      document.title = number + " / " + total + " – " + attr("title");
      keepCode();
      var error = $("form-error");
      if (error) error.remove();
      if (focus) {
        // The new statement from the top, progress in view; its heading has the focus
        // (described by the progress) so screen readers read it next.
        var heading = $("statement");
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
        window.scrollTo(0, 0);
      }
    }

    function go(n) {
      number = n;
      window.history.pushState({ n: n }, "", stepUrl(n));
      render(true);
    }

    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.value === "stay") { event.preventDefault(); return; }
      if (!button || (button.name !== "value" && button.value !== "skip")) return;
      event.preventDefault();
      var skip = button.name !== "value";
      var index = skip ? -1 : values.indexOf(parseInt(button.value, 10));
      code[number - 1] = skip ? "s" : ($("important").checked ? importantLetters : letters)[index];
      keepCode();
      if (back === "1") { window.location.href = attr("result-url") + query(false); return; }
      if (back === "review") {
        window.location.href = attr("review-url") + query(false) + "#review-" + number;
        return;
      }
      if (number < total) { go(number + 1); return; }
      window.location.href = attr("review-url") + query(false);
    });

    $("back").addEventListener("click", function (event) {
      if (number > 1 && !back) { event.preventDefault(); go(number - 1); }
    });

    window.addEventListener("popstate", function () {
      var match = window.location.pathname.match(/\/(\d+)$/);
      var params = new URLSearchParams(window.location.search);
      if (!match) { window.location.reload(); return; }
      number = Math.min(Math.max(parseInt(match[1], 10), 1), total);
      code = (params.get("a") || "").split("");
      while (code.length < total) code.push(".");
      render(true);
    });
  }

  function enhancePartySelection() {
    var form = $("parties-form");
    if (!form) return;
    form.querySelectorAll("button[data-select]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var all = button.getAttribute("data-select") === "all";
        form.querySelectorAll("input[name=p]").forEach(function (box) { box.checked = all; });
      });
    });
  }

  function enhanceShareLink() {
    var button = $("copy-link"), field = $("share-link");
    if (!button || !field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  }

  // A reason links to a row in a closed "Why?": open it where browsers do not.
  function revealRows() {
    function reveal(id) {
      var row = id && document.getElementById(decodeURIComponent(id));
      var details = row && row.closest("details");
      if (details && !details.open) {
        details.open = true;
        row.scrollIntoView();
      }
    }
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".reasons a");
      if (link) reveal(link.hash.slice(1));
    });
    reveal(window.location.hash.slice(1));
  }

  enhanceSteps();
  enhancePartySelection();
  enhanceShareLink();
  revealRows();
})();
