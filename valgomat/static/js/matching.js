/* Valgomat matching in the browser: the scores of valgomat/core, bit for bit.
   Normative definition: docs/method.md. tests/test_js_parity.py checks this
   file against the Python core.

   Every value is divided by the scale's largest absolute value, quiz.scale.top
   (v, p in [-1, 1]).
   ω_s = w_s × (importance_multiplier if important else 1). A = statements the
   voter answered with ω_s > 0; a missing party position is 0 (`neutral`),
   drops s from the sums (`exclude`) or is -1 when v >= 0 else +1 (`farthest`).
   With d = |v − p| and sums over the statements that count:
     cityblock    100 × (1 − Σ ω d / (2 Σ ω))
     euclidean    100 × (1 − sqrt(Σ ω d²) / (2 sqrt(Σ ω)))
     directional  100 × (1 + Σ ω v p / Σ ω) / 2
     hybrid       (cityblock + directional) / 2
   then clipped to [0, 100]; null when nothing counts or when the party has no
   stated position on any statement of A (per topic: of that topic's). To get the
   same bits as valgomat/core/scoring.py, each term is ω × c(v, p), statements are
   added in pairs (t0 + t1) and the pair sums in statement order, and the formulas
   are evaluated as written there.

   match(quiz, answers, important, options): quiz is the published quiz JSON
   (GET /api/v1/quizzes/<slug>), answers {statementId: int|null} (left out =
   skipped), important [statementId], options {method, missing, parties}
   (defaults: the quiz's method and policy, all parties). Returns
   {method, missing, results: [{party, score, percent, topics: {topicId: score},
   coverage: {stated, answered}, close_to_first, reasons: {agree, disagree}}]},
   ranked like the server: score descending, ties by casefolded name, then name,
   then party id (code-point order), null scores last. Near-ties and reasons
   follow valgomat/core/near_ties.py and reasons.py. Input is not validated here:
   the server's 4xx rules are in valgomat/core/matching.py. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.ValgomatMatching = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // The per-statement terms c(v, p) each method sums (hybrid needs two).
  var TERMS = {cityblock: ["abs"], euclidean: ["square"], directional: ["dot"],
               hybrid: ["abs", "dot"]};

  function term(kind, v, p) {
    var d = v - p;
    return kind === "abs" ? Math.abs(d) : kind === "square" ? d * d : v * p;
  }

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : null;
  }

  // Python's str.casefold, one code point at a time: upper- then lower-casing
  // gives the full case folding except for these three (checked for every
  // assigned code point by the parity test).
  function casefold(text) {
    return Array.from(text, function (c) {
      var n = c.codePointAt(0);
      if (n === 0x131) return c;  // dotless i does not fold
      if (n === 0x1e9e) return "ss";  // capital sharp s
      if ((n >= 0x13a0 && n <= 0x13fd) || (n >= 0xab70 && n <= 0xabbf)) {
        return c.toUpperCase();  // Cherokee folds to its capitals
      }
      return c.toUpperCase().toLowerCase();
    }).join("");
  }

  // Python's string order: by code point (not UTF-16 unit, unlike `<`).
  function compare(a, b) {
    for (var i = 0, x; i < a.length && i < b.length; i += x > 0xffff ? 2 : 1) {
      x = a.codePointAt(i);
      var y = b.codePointAt(i);
      if (x !== y) return x < y ? -1 : 1;
    }
    return (a.length > i) - (b.length > i);
  }

  var HALF_TOLERANCE = 1e-9, REASONS = 3;

  /** valgomat.core.matching.whole_percent: whole percent, exact halves up. */
  function wholePercent(score) {
    return score === null ? null : Math.floor(score + 0.5 + HALF_TOLERANCE);
  }

  function selectedParties(quiz, ids) {
    if (!ids) return quiz.parties;
    return ids.filter(function (id, i, all) { return all.indexOf(id) === i; })
      .map(function (id) {
        var found = quiz.parties.filter(function (p) { return p.id === id; })[0];
        if (!found) throw new Error("unknown party " + id);
        return found;
      });
  }

  // Scoring for one method and policy; statements as {id, topic, value, v, w},
  // w = ω. sums() adds rows in pairs in statement order, as valgomat/core does;
  // finish() turns sums into a score (null without evidence or weight).
  function scorer(quiz, method, missing) {
    var kinds = TERMS[method];
    if (!kinds || ["neutral", "exclude", "farthest"].indexOf(missing) < 0) {
      throw new Error("unknown method or missing policy");
    }
    var top = quiz.scale.top;
    var zero = kinds.map(function () { return 0; }).concat([0]);

    // [ω c_1(v, p), (ω c_2(v, p),) ω] of one statement for one party; zeros
    // when the voter skipped it or `exclude` drops it.
    function row(s, party) {
      var p = own(party.positions, s.id);
      if (s.v === null || (p === null && missing === "exclude")) return zero;
      p = p !== null ? p / top : missing === "farthest" ? (s.v >= 0 ? -1 : 1) : 0;
      return kinds.map(function (kind) { return s.w * term(kind, s.v, p); })
        .concat([s.w]);
    }

    function sums(list, party) {
      var sum = zero.slice();
      for (var i = 0; i < list.length; i += 2) {
        var a = row(list[i], party);
        var b = i + 1 < list.length ? row(list[i + 1], party) : zero;
        for (var k = 0; k < sum.length; k++) sum[k] += a[k] + b[k];
      }
      return sum;
    }

    // How many statements of A in the list the party has a stated position on.
    function stated(list, party) {
      return list.filter(function (s) {
        return s.v !== null && s.w > 0 && own(party.positions, s.id) !== null;
      }).length;
    }

    function finish(sum, evidence) {
      var x = sum[0], w = sum[kinds.length], result;
      if (!(w > 0) || !evidence) return null;
      if (method === "euclidean") {
        result = 100 * (1 - Math.sqrt(x) / (2 * Math.sqrt(w)));
      } else if (method === "directional") {
        result = 100 * (1 + x / w) / 2;
      } else {
        result = 100 * (1 - x / (2 * w));
        if (method === "hybrid") result = (result + 100 * (1 + sum[1] / w) / 2) / 2;
      }
      return Math.min(Math.max(result, 0), 100);
    }

    return {
      row: row, sums: sums, stated: stated, finish: finish,
      score: function (list, party) {
        return finish(sums(list, party), stated(list, party) > 0);
      }
    };
  }

  function voterStatements(quiz, answers, flagged) {
    var top = quiz.scale.top;
    return quiz.statements.map(function (s) {
      var value = own(answers, s.id);
      return {id: s.id, topic: s.topic, value: value,
              v: value === null ? null : value / top,
              w: s.weight * (flagged.has(s.id) ? quiz.importance_multiplier : 1)};
    });
  }

  // valgomat/core/reasons.py: same side closest first, opposite sides furthest
  // first; then the larger ω, then quiz order.
  function reasons(statements, party) {
    var agree = [], disagree = [];
    statements.forEach(function (s, index) {
      var p = own(party.positions, s.id);
      if (s.value === null || !(s.w > 0) || p === null) return;
      var gap = Math.abs(s.value - p);
      if (s.value === p || s.value * p > 0) agree.push([gap, -s.w, index, s.id]);
      else if (s.value * p < 0) disagree.push([-gap, -s.w, index, s.id]);
    });
    function order(a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; }
    function ids(list) {
      return list.sort(order).slice(0, REASONS).map(function (item) { return item[3]; });
    }
    return {agree: ids(agree), disagree: ids(disagree)};
  }

  // valgomat/core/near_ties.py: can one different answer (another value on the
  // scale, or skipping it) put a party level with the first? A changed answer's
  // sums are (sums − old row) + new row, the additions the core makes.
  var TIE = 1e-9;

  function nearTies(quiz, statements, ranked, scoring) {
    var close = new Set(), first = ranked[0];
    if (!first || first.score === null) return close;
    var others = ranked.slice(1).filter(function (r) { return r.score !== null; });
    others.forEach(function (r) { if (r.score >= first.score - TIE) close.add(r.party); });
    others = others.filter(function (r) { return !close.has(r.party); });
    var top = quiz.scale.top;

    function variant(r, s, changed) {
      var old = scoring.row(s, r.entry), next = scoring.row(changed, r.entry);
      var sum = r.sums.map(function (total, k) { return (total - old[k]) + next[k]; });
      var lost = changed.v === null && own(r.entry.positions, s.id) !== null ? 1 : 0;
      return scoring.finish(sum, r.coverage.stated - lost > 0);
    }

    statements.forEach(function (s) {
      if (!others.length || s.v === null || !(s.w > 0)) return;
      quiz.scale.values.concat([null]).forEach(function (value) {
        if (value === s.value || !others.length) return;
        var changed = {id: s.id, topic: s.topic, value: value,
                       v: value === null ? null : value / top, w: s.w};
        var lead = variant(first, s, changed);
        others = others.filter(function (r) {
          var mine = variant(r, s, changed);
          if (mine !== null && (lead === null || mine >= lead - TIE)) {
            close.add(r.party);
            return false;
          }
          return true;
        });
      });
    });
    if (close.size) close.add(first.party);
    return close;
  }

  function match(quiz, answers, important, options) {
    options = options || {};
    var method = options.method || quiz.method;
    var missing = options.missing || quiz.missing;
    var scoring = scorer(quiz, method, missing);
    var statements = voterStatements(quiz, answers, new Set(important || []));
    var answered = statements.filter(function (s) { return s.v !== null && s.w > 0; });
    var results = selectedParties(quiz, options.parties).map(function (party) {
      var topics = {};
      quiz.topics.forEach(function (t) {
        var list = statements.filter(function (s) { return s.topic === t.id; });
        topics[t.id] = list.length ? scoring.score(list, party) : null;
      });
      var sums = scoring.sums(statements, party), stated = scoring.stated(statements, party);
      return {party: party.id, score: scoring.finish(sums, stated > 0), topics: topics,
              name: party.name, entry: party, sums: sums,
              coverage: {stated: stated, answered: answered.length},
              reasons: reasons(statements, party)};
    });
    results.sort(function (a, b) {
      if ((a.score === null) !== (b.score === null)) return a.score === null ? 1 : -1;
      if (a.score !== b.score) return a.score > b.score ? -1 : 1;
      return compare(casefold(a.name), casefold(b.name)) || compare(a.name, b.name) ||
        compare(a.party, b.party);
    });
    var close = nearTies(quiz, statements, results, scoring);
    return {method: method, missing: missing, results: results.map(function (r) {
      return {party: r.party, score: r.score, percent: wholePercent(r.score),
              topics: r.topics, coverage: r.coverage, close_to_first: close.has(r.party),
              reasons: r.reasons};
    })};
  }

  return {match: match, wholePercent: wholePercent, casefold: casefold, compare: compare};
});
