/* Progressive enhancement for the voter pages. Without it every step is a
   plain link or form and gives the same result; with it the statements change
   in place (answers stay in the page and its URL, never sent anywhere else). */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  function enhanceSteps() {
    var form = $("answer-form"), dataNode = $("quiz-data"), textsNode = $("quiz-statements");
    if (!form || !dataNode || !textsNode || !window.history.pushState) return;
    var data = JSON.parse(dataNode.textContent);
    var statements = JSON.parse(textsNode.textContent);  // the same on every step page
    var total = statements.length;
    var number = parseInt(form.getAttribute("data-number"), 10);
    var code = data.code.split("");
    var letters = data.letters, importantLetters = data.importantLetters;
    while (code.length < total) code.push(".");

    function codeString() { return code.join("").replace(/\.+$/, ""); }

    function query(extra) {
      var params = new URLSearchParams();
      params.set("v", data.version);
      if (codeString()) params.set("a", codeString());
      (data.parties || []).forEach(function (p) { params.append("p", p); });
      if (extra) params.set(extra, "1");
      if (data.theme) params.set("t", data.theme);
      return "?" + params.toString();
    }

    function stepUrl(n) { return data.stepBase + n + query(data.r ? "r" : null); }

    function decode(ch) {
      if (letters.indexOf(ch) >= 0) return { value: data.values[letters.indexOf(ch)], important: false };
      if (importantLetters.indexOf(ch) >= 0) return { value: data.values[importantLetters.indexOf(ch)], important: true };
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
      form.querySelectorAll("input[name=value]").forEach(function (input) {
        input.checked = previous.value !== null && parseInt(input.value, 10) === previous.value;
      });
      form.setAttribute("data-number", number);
      form.action = data.stepBase + number + "/answer";
      $("back").href = number > 1 ? stepUrl(number - 1) : data.introUrl;
      document.title = number + " / " + total + " – " + data.title;
      var error = $("form-error");
      if (error) error.remove();
      if (focus) { $("statement").setAttribute("tabindex", "-1"); $("statement").focus(); }
    }

    function showError() {
      var error = $("form-error");
      if (!error) {
        error = document.createElement("div");
        error.id = "form-error"; error.className = "error"; error.setAttribute("role", "alert");
        form.parentNode.insertBefore(error, form);
      }
      error.textContent = data.error;
    }

    function go(n) {
      number = n;
      window.history.pushState({ n: n }, "", stepUrl(n));
      render(true);
    }

    form.addEventListener("submit", function (event) {
      var skip = event.submitter && event.submitter.value === "skip";
      var checked = form.querySelector("input[name=value]:checked");
      event.preventDefault();
      if (!skip && !checked) { showError(); return; }
      var index = skip ? -1 : data.values.indexOf(parseInt(checked.value, 10));
      code[number - 1] = skip ? "s" : ($("important").checked ? importantLetters : letters)[index];
      if (data.r) { window.location.href = data.resultUrl + query(); return; }
      if (number < total) { go(number + 1); return; }
      window.location.href = data.partiesUrl + query();
    });

    $("back").addEventListener("click", function (event) {
      if (number > 1) { event.preventDefault(); go(number - 1); }
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
