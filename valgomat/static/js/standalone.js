/* The static export's voter flow (valgomat export-static): one page, no server.

   index.html holds every screen (intro, step, parties, result, method) as a
   hidden <section>; this script shows one at a time by the URL's "#" part and
   scores with matching.js (ValgomatMatching, bit-identical to the server's core)
   on quiz.json, the published quiz as the API serves it. Interface texts come
   from the page's <script type="application/json" id="ui"> block, rendered from
   the server's catalogues, so the wording equals the server's.

   The whole state is in the hash, never stored anywhere:
     #s=<screen>&v=<version>&a=<answer code>&p=<party>&p=…&r=1
   s: 1…N (a statement), "review", "parties", "result" or "method" (none = intro);
   a: valgomat/core/answercode.py's code, one character per statement in quiz
   order ("." not answered, trailing dots dropped; "s" skipped; "a"… the scale's
   values ascending, capitals = important to me); p: the chosen parties (none =
   all); r: go back after answering, to the result (1) or to the review ("review"). A share link is the page's
   address with this hash; browsers never send the hash to any server. */
(function () {
  "use strict";
  var SKIPPED = "s", UNANSWERED = ".";
  var SVG = "http://www.w3.org/2000/svg";
  var VIEWS = ["intro", "step", "review", "parties", "result", "method"];

  function $(id) { return document.getElementById(id); }

  var ui = JSON.parse($("ui").textContent);
  var texts = ui.texts;
  var quiz = null;
  var state = null;

  // -- the hash -------------------------------------------------------------------------

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    return {
      s: params.get("s") || "", v: params.get("v"), a: params.get("a") || "",
      p: params.has("p") ? params.getAll("p") : null,
      r: ["1", "review"].indexOf(params.get("r")) >= 0 ? params.get("r") : "",
      ret: params.get("ret") || ""
    };
  }

  /** The hash of a screen with the current answers and parties (and `extra`). */
  function hashFor(screen, extra) {
    var params = new URLSearchParams();
    if (screen) params.set("s", screen);
    params.set("v", quiz.version);
    var code = encode(state.code);
    if (code) params.set("a", code);
    (state.parties || []).forEach(function (id) { params.append("p", id); });
    Object.keys(extra || {}).forEach(function (key) { params.set(key, extra[key]); });
    return "#" + params.toString();
  }

  function encode(code) { return code.join("").replace(/\.+$/, ""); }

  /** answercode.decode: null when the code does not fit the quiz. */
  function decode(text) {
    var values = quiz.scale.values, total = quiz.statements.length;
    var lower = quiz.scale.letters, upper = quiz.scale.important_letters;
    if (text.length > total) return null;
    var code = [];
    for (var i = 0; i < total; i++) {
      var ch = i < text.length ? text.charAt(i) : UNANSWERED;
      if (ch !== UNANSWERED && ch !== SKIPPED) {
        var index = lower.indexOf(ch) >= 0 ? lower.indexOf(ch) : upper.indexOf(ch);
        if (index < 0 || index >= values.length) return null;
      }
      code.push(ch);
    }
    return code;
  }

  /** {value, important, answered} of one statement's code character. */
  function answerOf(ch) {
    if (ch === UNANSWERED || ch === undefined) return {answered: false, value: null, important: false};
    if (ch === SKIPPED) return {answered: true, value: null, important: false};
    var upper = quiz.scale.important_letters.indexOf(ch) >= 0;
    var index = (upper ? quiz.scale.important_letters : quiz.scale.letters).indexOf(ch);
    return {answered: true, value: quiz.scale.values[index], important: upper};
  }

  // -- small helpers ----------------------------------------------------------------------

  function contentLang(map) {
    if (map && map[ui.lang]) return ui.lang;
    var keys = Object.keys(map || {});
    return keys.length ? keys[0] : ui.lang;
  }

  function localized(map) { return map ? map[contentLang(map)] || "" : ""; }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function hidden(text) { return el("span", {"class": "visually-hidden", text: text}); }

  function bar(score, colour) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "bar");
    svg.setAttribute("viewBox", "0 0 100 10");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var track = document.createElementNS(SVG, "rect");
    track.setAttribute("class", "track");
    track.setAttribute("width", "100");
    track.setAttribute("height", "10");
    svg.appendChild(track);
    if (score !== null) {
      var fillRect = document.createElementNS(SVG, "rect");
      fillRect.setAttribute("width", score.toFixed(1));
      fillRect.setAttribute("height", "10");
      fillRect.setAttribute("fill", colour);
      svg.appendChild(fillRect);
    }
    return svg;
  }

  function symbol(text) { return el("span", {"class": "symbol", "aria-hidden": "true", text: text}); }

  /** A text with a count, in the count's plural form (the languages have two). */
  function counted(key, count) { return ui.counted[count === 1 ? "one" : "other"][key]; }

  /** valgomat.voter.presenters.why_row_id: a statement's row in a party's "Why?" table, by the
      numbers (from 1) of the party and the statement in the quiz. */
  function rowId(party, statementId) {
    var number = quiz.statements.map(function (s) { return s.id; }).indexOf(statementId) + 1;
    return "why-" + (quiz.parties.indexOf(party) + 1) + "-" + number;
  }

  /** valgomat.voter.presenters.agreement. */
  function agreement(voter, party) {
    if (voter === null) return "skipped";
    if (party === null || party === undefined) return "none";
    if (voter === party) return "same";
    if (voter * party < 0) return "opposite";
    return Math.abs(voter - party) / quiz.scale.top <= 0.5 ? "close" : "apart";
  }

  function label(value) {
    return ui.labels[value === null || value === undefined ? "null" : String(value)];
  }

  // -- screens ----------------------------------------------------------------------------

  function show(view, error) {
    VIEWS.forEach(function (name) { $("view-" + name).hidden = name !== view; });
    var box = $("link-error");
    box.hidden = !error;
    box.textContent = error || "";
    document.querySelectorAll(".method-link").forEach(function (link) {
      link.href = hashFor("method", {ret: state.s});
    });
  }

  function focusHeading(node) {
    window.scrollTo(0, 0);
    node.focus({preventScroll: true});
  }

  function renderIntro(error, focus) {
    show("intro", error);
    document.title = ui.title + " – Valgomat";
    if (focus) focusHeading($("intro-heading"));
  }

  function renderStep(number, focus) {
    var total = quiz.statements.length;
    var statement = quiz.statements[number - 1];
    var topic = quiz.topics.filter(function (t) { return t.id === statement.topic; })[0];
    var previous = answerOf(state.code[number - 1]);
    show("step");
    $("topic").textContent = topic ? localized(topic.name) : "";
    $("topic").setAttribute("lang", topic ? contentLang(topic.name) : ui.lang);
    $("statement").textContent = localized(statement.text);
    $("statement").setAttribute("lang", contentLang(statement.text));
    var explanation = localized(statement.explanation);
    $("explanation").hidden = !explanation;
    $("explanation").open = false;
    $("explanation-text").textContent = explanation;
    $("explanation-text").setAttribute("lang", explanation ? contentLang(statement.explanation)
      : ui.lang);
    $("progress-number").textContent = number;
    $("progress-bar").value = number;
    $("important").checked = previous.important;
    $("answer-form").querySelectorAll("button[name=value]").forEach(function (button) {
      if (previous.value !== null && parseInt(button.value, 10) === previous.value) {
        button.setAttribute("aria-current", "true");
      } else {
        button.removeAttribute("aria-current");
      }
    });
    $("step-back").href = number > 1 ? hashFor(String(number - 1), state.r ? {r: state.r} : null)
      : "#";
    document.title = number + " / " + total + " – " + ui.title;
    if (focus) focusHeading($("statement"));
  }

  function renderParties(focus) {
    show("parties");
    var chosen = state.parties;
    $("parties-form").querySelectorAll("input[name=p]").forEach(function (box) {
      box.checked = chosen === null || chosen.indexOf(box.value) >= 0;
    });
    $("parties-error").hidden = true;
    $("parties-back").href = hashFor("review");
    document.title = texts.parties + " – " + ui.title;
    if (focus) focusHeading($("parties-heading"));
  }

  /** Every answer in words, its importance to mark or unmark, a change that comes back. */
  function renderReview(focus) {
    show("review");
    var list = $("review-list");
    list.textContent = "";
    quiz.statements.forEach(function (statement, i) {
      var number = i + 1, answer = answerOf(state.code[i]);
      var words = !answer.answered ? texts.notAnswered
        : answer.value === null ? texts.skipped : label(answer.value);
      var links = [el("a", {href: hashFor(String(number), {r: "review"})},
                      [texts.change, hidden(" " + fill(texts.changeWhich, {number: number}))])];
      if (answer.value !== null) {
        links.push(el("a", {href: hashFor("review", {a: encode(toggled(i))})}, [
          answer.important ? texts.unmark : texts.markImportant,
          hidden(" (" + fill(texts.statementNumber, {number: number}) + ")")]));
      }
      var row = {id: "review-" + number, "class": answer.important ? "marked" : ""};
      list.appendChild(el("li", row, [
        el("p", {"class": "review-statement", lang: contentLang(statement.text),
                 text: localized(statement.text)}),
        el("div", {"class": "review-line"}, [
          el("p", {"class": "review-answer"}, [hidden(texts.yourAnswer + " "),
            el("strong", {text: words}), answer.important ? " · " + texts.important : ""]),
          el("p", {"class": "review-actions"}, links)])]));
    });
    $("review-continue").href = hashFor("parties");
    $("review-back").href = hashFor(String(quiz.statements.length));
    document.title = texts.review + " – " + ui.title;
    if (focus) focusHeading($("review-heading"));
  }

  /** The answer code with statement i's importance flipped. */
  function toggled(i) {
    var lower = quiz.scale.letters, upper = quiz.scale.important_letters;
    var code = state.code.slice(), ch = code[i];
    code[i] = lower.indexOf(ch) >= 0 ? upper.charAt(lower.indexOf(ch))
      : lower.charAt(upper.indexOf(ch));
    return code;
  }

  function renderMethod(focus) {
    show("method");
    var back = state.ret;
    $("method-back").href = back && back !== "method" ? hashFor(back) : "#";
    document.title = texts.method + " – Valgomat";
    if (focus) focusHeading($("method-heading"));
  }

  function renderResult(focus) {
    show("result");
    var answers = {}, important = [], anything = false;
    quiz.statements.forEach(function (s, i) {
      var answer = answerOf(state.code[i]);
      if (!answer.answered) return;
      answers[s.id] = answer.value;
      if (answer.value !== null) anything = true;
      if (answer.important) important.push(s.id);
    });
    var outcome = window.ValgomatMatching.match(quiz, answers, important,
      state.parties ? {parties: state.parties} : {});
    var parties = {};
    quiz.parties.forEach(function (p) { parties[p.id] = p; });
    $("nothing-answered").hidden = anything;

    var voterAnswers = quiz.statements.map(function (s, i) {
      var answer = answerOf(state.code[i]);
      if (!answer.answered) return texts.notAnswered;
      if (answer.value === null) return texts.skipped;
      return label(answer.value) + (answer.important ? " (" + texts.important + ")" : "");
    });

    // presenters.near_tie_count: the first party through the last one close to it.
    var tied = 0;
    outcome.results.forEach(function (item, rank) { if (item.close_to_first) tied = rank + 1; });
    $("near-tie").hidden = !tied;
    $("near-tie-text").textContent = tied ? fill(texts.nearTie, {count: tied}) : "";
    var ranking = $("ranking");
    ranking.textContent = "";
    outcome.results.forEach(function (item, rank) {
      ranking.appendChild(partyItem(parties[item.party], item, voterAnswers, rank < tied));
    });
    renderTopics(outcome, parties, answers, important);

    var share = hashFor("result");
    if (window.location.hash !== share) window.history.replaceState(null, "", share);
    $("share-link").value = window.location.href;
    $("change-parties").href = hashFor("parties");
    document.title = texts.result + " – " + ui.title;
    if (focus) focusHeading($("result-heading"));
  }

  /** result_page.topic_chart: per topic, each party's percentage and bar, or "No stated
      position"; one sentence for a topic without any of the voter's answers. */
  function renderTopics(outcome, parties, answers, important) {
    var answered = {};
    quiz.statements.forEach(function (s) {
      var weight = s.weight * (important.indexOf(s.id) >= 0 ? quiz.importance_multiplier : 1);
      if (answers[s.id] !== undefined && answers[s.id] !== null && weight > 0) {
        answered[s.topic] = true;
      }
    });
    var topics = $("topics");
    if (!topics) return;  // a quiz with one topic has no topic chart
    topics.textContent = "";
    quiz.topics.forEach(function (topic) {
      var body = el("p", {"class": "topic-unanswered", text: texts.unanswered});
      if (answered[topic.id]) {
        body = el("ul");
        outcome.results.forEach(function (item) {
          var party = parties[item.party], score = item.topics[topic.id];
          var cells = [el("span", {"class": "party-short", title: party.name,
                                   text: party.short_name}), " "];
          if (score === null || score === undefined) {
            cells.push(el("span", {"class": "no-position", text: texts.noPosition}));
          } else {
            cells.push(el("span", {"class": "percent",
                                   text: window.ValgomatMatching.wholePercent(score) + " %"}),
                       " ", bar(score, party.colour));
          }
          body.appendChild(el("li", {}, cells));
        });
      }
      topics.appendChild(el("section", {"class": "topic-scores"}, [
        el("h3", {lang: contentLang(topic.name), text: localized(topic.name)}), body]));
    });
  }

  /** templates/_macros/result.html: coverage, few stated positions, reasons. */
  function partyNotes(party, item) {
    var notes = [], coverage = item.coverage;
    if (coverage.answered) {
      notes.push(el("p", {"class": "coverage", text: fill(counted("coverage", coverage.answered),
        {stated: coverage.stated, count: coverage.answered})}));
      if (3 * coverage.stated < coverage.answered && item.score !== null) {
        notes.push(el("p", {"class": "few"}, [symbol("!"), " " + fill(
          counted("few", coverage.stated), {count: coverage.stated})]));
      }
    }
    var reasons = item.reasons.agree.map(function (id) {
      return reason(party, id, "agree", "✓", texts.agrees);
    }).concat(item.reasons.disagree.map(function (id) {
      return reason(party, id, "disagree", "✗", texts.disagrees);
    }));
    if (reasons.length) notes.push(el("ul", {"class": "reasons"}, reasons));
    return notes;
  }

  function reason(party, statementId, kind, sign, template) {
    var statement = quiz.statements.filter(function (s) { return s.id === statementId; })[0];
    var attrs = {"class": "reason", href: "#" + rowId(party, statementId)};
    if (contentLang(statement.text) !== ui.lang) attrs.lang = contentLang(statement.text);
    var parts = template.split("{statement}");
    return el("li", {"class": kind}, [symbol(sign), " " + parts[0],
      el("a", attrs, [localized(statement.text)]), parts.slice(1).join("{statement}")]);
  }

  /** A reason's link: open the party's "Why?" and show the statement's row there (the
      address's "#" holds the state, so the link's own target is not followed). */
  function showReason(event) {
    var link = event.target.closest ? event.target.closest("a.reason") : null;
    if (!link) return;
    event.preventDefault();
    var row = $(link.getAttribute("href").slice(1));
    if (!row) return;
    row.closest("details").open = true;
    document.querySelectorAll("tr.targeted").forEach(function (node) {
      node.classList.remove("targeted");
    });
    row.classList.add("targeted");
    row.setAttribute("tabindex", "-1");
    row.focus({preventScroll: true});
    row.scrollIntoView();
  }

  function partyItem(party, item, voterAnswers, tied) {
    var score = item.score, percent = item.percent;  // matching.js: wholePercent(score)
    var line = el("p", {"class": "party-line"}, [
      el("span", {"class": "party-name", title: party.name, text: party.short_name}), " ",
      percent === null ? el("span", {"class": "no-score", text: texts.nothing})
        : el("span", {"class": "percent", text: percent + " %"})]
      .concat(tied ? [hidden(" (" + texts.tooClose + ")")] : []));
    var body = el("tbody"), linked = item.reasons.agree.concat(item.reasons.disagree);
    quiz.statements.forEach(function (s, i) {
      var number = i + 1;
      var position = Object.prototype.hasOwnProperty.call(party.positions, s.id)
        ? party.positions[s.id] : null;
      var marker = agreement(answerOf(state.code[i]).value, position);
      var sign = ui.agreement[marker];
      var change = el("a", {"class": "change", href: hashFor(String(number), {r: 1})},
        [texts.change, hidden(" " + fill(texts.changeWhich, {number: number}))]);
      var row = {"class": "m-" + marker};  // an id where a reason links to it
      if (linked.indexOf(s.id) >= 0) row.id = rowId(party, s.id);
      body.appendChild(el("tr", row, [
        el("th", {scope: "row"}, [number + ". ", el("span", {lang: contentLang(s.text),
          text: localized(s.text)}), " ", change]),
        el("td", {"data-label": texts.you, text: voterAnswers[i]}),
        el("td", {"data-label": party.short_name, text: label(position)}),
        el("td", {"data-label": texts.match}, [
          el("span", {"aria-hidden": "true", "class": "symbol", text: sign[0]}), " " + sign[1]])
      ]));
      var evidence = party.evidence[s.id];
      if (!evidence) return;
      var cell = el("td", {colspan: "4"});
      var justification = localized(evidence.justification);
      if (justification) {
        cell.appendChild(el("p", {lang: contentLang(evidence.justification),
          text: justification}));
      }
      if (evidence.quote) {  // in its program's language, for screen readers
        cell.appendChild(el("blockquote", {lang: ui.quoteLanguages[party.id]},
          [el("p", {text: evidence.quote})]));
      }
      var known = (evidence.source ? "1" : "0") + (evidence.confidence ? "1" : "0");
      var source = el("p", {"class": "source", text: fill(texts.sources[known], {
        program: ui.programs[party.id] || party.name, section: evidence.source,
        confidence: ui.confidence[evidence.confidence] || evidence.confidence})});
      // the quote in context: programs/<party>.html, written with the bundle
      if ((ui.programPages[party.id] || []).indexOf(s.id) >= 0) {
        source.appendChild(document.createTextNode(" "));
        source.appendChild(el("a", {href: "programs/" + encodeURIComponent(party.id) +
          ".html#s-" + encodeURIComponent(s.id), text: texts.readInProgram}));
      }
      cell.appendChild(source);
      body.appendChild(el("tr", {"class": "evidence"}, [cell]));
    });
    var table = el("table", {"class": "comparison"}, [
      el("caption", {"class": "visually-hidden", text: fill(texts.compared, {party: party.name})}),
      el("thead", {}, [el("tr", {}, [
        el("th", {scope: "col", text: texts.statement}), el("th", {scope: "col", text: texts.you}),
        el("th", {scope: "col", text: party.short_name}),
        el("th", {scope: "col", text: texts.match})])]),
      body]);
    var why = el("details", {"class": "why"}, [
      el("summary", {}, [texts.why, hidden(" " + party.name)]), table]);
    return el("li", {"class": "party-result" + (tied ? " tied" : "")}, [line]
      .concat(score === null ? [] : [bar(score, party.colour)])
      .concat(partyNotes(party, item), [why]));
  }

  // -- routing ----------------------------------------------------------------------------

  function render(focus) {
    var hash = readHash();
    var code = decode(hash.a);
    var known = quiz.parties.map(function (p) { return p.id; });
    state = {s: hash.s, code: code || decode(""), parties: null, r: hash.r, ret: hash.ret};
    if (hash.v !== null && !/^[0-9]+$/.test(hash.v)) return renderIntro(texts.badVersion, focus);
    if ((hash.v !== null && Number(hash.v) !== quiz.version) || code === null) {
      return renderIntro(texts.badLink, focus);
    }
    if (hash.p !== null) {
      if (hash.p.some(function (id) { return known.indexOf(id) < 0; })) {
        return renderIntro(texts.badParty, focus);
      }
      state.parties = known.filter(function (id) { return hash.p.indexOf(id) >= 0; });
      if (state.parties.length === known.length) state.parties = null;
    }
    var number = /^[0-9]+$/.test(hash.s) ? parseInt(hash.s, 10) : 0;
    if (number >= 1 && number <= quiz.statements.length) return renderStep(number, focus);
    if (hash.s === "review") return renderReview(focus);
    if (hash.s === "parties") return renderParties(focus);
    if (hash.s === "result" && !(state.parties && !state.parties.length)) {
      return renderResult(focus);
    }
    if (hash.s === "method") return renderMethod(focus);
    return renderIntro(null, focus);
  }

  function go(hash) {
    if (window.location.hash === hash) render(true);
    else window.location.hash = hash;  // the hashchange listener renders
  }

  function answerStep(event) {
    event.preventDefault();
    var number = parseInt(state.s, 10), total = quiz.statements.length;
    var button = event.submitter;  // one tap: each answer is a submit button
    if (!button || button.value === "stay") return;  // Enter in "Important to me"
    if (button.value === "skip") {
      state.code[number - 1] = SKIPPED;
    } else {
      var index = quiz.scale.values.indexOf(parseInt(button.value, 10));
      state.code[number - 1] = ($("important").checked ? quiz.scale.important_letters
                                                        : quiz.scale.letters).charAt(index);
    }
    if (state.r === "1") go(hashFor("result"));
    else if (state.r === "review" || number === total) go(hashFor("review"));
    else go(hashFor(String(number + 1)));
  }

  function chooseParties(event) {
    event.preventDefault();
    var chosen = [];
    $("parties-form").querySelectorAll("input[name=p]").forEach(function (box) {
      if (box.checked) chosen.push(box.value);
    });
    if (!chosen.length) {
      $("parties-error").textContent = texts.chooseParty;
      $("parties-error").hidden = false;
      return;
    }
    state.parties = chosen.length === quiz.parties.length ? null : chosen;
    go(hashFor("result"));
  }

  function addCopyButton() {
    if (!navigator.clipboard) return;
    var button = el("button", {type: "button", "class": "button small", text: texts.copy});
    button.addEventListener("click", function () {
      navigator.clipboard.writeText($("share-link").value).then(function () {
        button.textContent = texts.copied;
      });
    });
    $("copy-slot").appendChild(button);
  }

  function start(data) {
    quiz = data;
    $("answer-form").addEventListener("submit", answerStep);
    $("parties-form").addEventListener("submit", chooseParties);
    $("ranking").addEventListener("click", showReason);
    $("parties-form").querySelectorAll("button[data-select]").forEach(function (button) {
      button.addEventListener("click", function () {
        var all = button.getAttribute("data-select") === "all";
        $("parties-form").querySelectorAll("input[name=p]").forEach(function (box) {
          box.checked = all;
        });
      });
    });
    $("skip-link").addEventListener("click", function (event) {
      event.preventDefault();  // "#main" would replace the state in the hash
      $("main").focus();
    });
    addCopyButton();
    window.addEventListener("hashchange", function () { render(true); });
    render(false);
  }

  // Before quiz.json arrives, show no intro to a link that opens another screen.
  if (readHash().s) $("view-intro").hidden = true;
  fetch("quiz.json", {cache: "no-cache", credentials: "same-origin"})
    .then(function (reply) {
      if (!reply.ok) throw new Error("quiz.json: HTTP " + reply.status);
      return reply.json();
    })
    .then(start)
    .catch(function (error) {
      $("view-intro").hidden = false;
      window.console.error(error);
    });
})();
