// Tables wider than the screen scroll sideways inside themselves. Such a scrolling region must
// be reachable by keyboard (WCAG 2.1.1), so it gets a tab stop and a name while it scrolls, and
// a visible hint above it says that it scrolls (shadows at its edges show where more columns are).
(function () {
  var HINT = "Tabellen er bredere enn skjermen. Sveip eller rull sideveis for å se alle kolonnene.";

  function showHint(box, scrolls) {
    var hint = box.previousElementSibling;
    var has = hint !== null && hint.classList.contains("kb-scroll-hint");
    if (scrolls && !has) {
      hint = document.createElement("p");
      hint.className = "kb-scroll-hint";
      hint.textContent = HINT;
      box.parentNode.insertBefore(hint, box);
    } else if (!scrolls && has) {
      hint.remove();
    }
    // An attribute, not a class: Material styles only tables without a class attribute.
    if (scrolls) {
      box.setAttribute("data-kb-scrolls", "");
    } else {
      box.removeAttribute("data-kb-scrolls");
    }
  }

  function markScrollingTables() {
    // Material wraps tables in a scrolling box; some tables scroll themselves. Mark whichever scrolls.
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset table").forEach(function (table) {
      var wrap = table.closest(".md-typeset__scrollwrap");
      if (table.tagName === "TABLE" && wrap && wrap.getAttribute("role") === "region") {
        return;  // its box already has the tab stop and the hint
      }
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      showHint(table, scrolls);
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.setAttribute("role", "region");
        table.setAttribute("aria-label", "Tabell som kan rulles sideveis");
      } else if (!scrolls && table.getAttribute("role") === "region") {
        table.removeAttribute("tabindex");
        table.removeAttribute("role");
        table.removeAttribute("aria-label");
      }
    });
  }
  // Material wraps the tables once its own script has set up the page, and announces that on document$.
  if (typeof document$ !== "undefined") {
    document$.subscribe(markScrollingTables);
  } else {
    document.addEventListener("DOMContentLoaded", markScrollingTables);
  }
  window.addEventListener("resize", markScrollingTables);
})();
