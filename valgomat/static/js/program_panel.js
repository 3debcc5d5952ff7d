// The position form's program panel (editor/_program_panel.html): a passage selected in
// the program text, or a search hit, fills the quote and source without reloading.
// The quote is the program's own text, its whitespace collapsed (the quote check
// forgives whitespace only); the source is the heading the passage stands under.
(function () {
  "use strict";
  var text = document.getElementById("program-text");
  var quote = document.getElementById("quote");
  var source = document.getElementById("source");
  var status = document.getElementById("program-status");
  if (!quote || !source || !status) return;

  function collapse(value) {
    return value.replace(/\s+/g, " ").trim();
  }

  function fill(passage, heading) {
    quote.value = passage;
    source.value = heading;
    status.textContent = "";
    // A new text in the live region is announced; clearing it first repeats the message.
    window.setTimeout(function () {
      status.textContent = "The quote and source now hold the passage" +
        (heading ? " under “" + heading + "”" : "") +
        ". Nothing is saved until you press “Save position”.";
    }, 50);
  }

  function paragraphOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    while (element && element !== text) {
      if (element.hasAttribute("data-heading")) return element;
      element = element.parentElement;
    }
    return null;
  }

  // The last selection made inside the program text (pressing the button may clear it).
  var chosen = null;
  if (text) {
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
      var range = selection.getRangeAt(0);
      if (text.contains(range.startContainer) && text.contains(range.endContainer)) {
        chosen = { passage: collapse(selection.toString()),
                   paragraph: paragraphOf(range.startContainer) };
      }
    });
    var button = document.getElementById("program-use-selection");
    button.parentElement.hidden = false;
    button.addEventListener("click", function () {
      if (!chosen || !chosen.passage) {
        status.textContent = "";
        window.setTimeout(function () {
          status.textContent = "Nothing is selected in the program text: select a passage first.";
        }, 50);
        return;
      }
      fill(chosen.passage, chosen.paragraph ? chosen.paragraph.getAttribute("data-heading") : "");
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[name=use][data-quote]"),
    function (hit) {
      hit.addEventListener("click", function (event) {
        event.preventDefault();
        fill(hit.getAttribute("data-quote"), hit.getAttribute("data-source"));
      });
    });
})();
