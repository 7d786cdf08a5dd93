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

  function headingBefore(el) {
    // The nearest heading before the table, in the table's own section of the page.
    for (var node = el; node && node.tagName !== "ARTICLE"; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) {
          return prev.textContent.trim();
        }
      }
    }
    return "";
  }

  function nameRegions() {
    // Each scrolling table gets its own name, after its heading, so a screen reader's list of regions
    // tells them apart; tables under the same heading are numbered.
    var seen = {};
    document.querySelectorAll('.md-typeset [role="region"][data-kb-table-region]').forEach(function (region) {
      var heading = headingBefore(region);
      var name = heading ? "Tabell: " + heading : "Tabell";
      seen[name] = (seen[name] || 0) + 1;
      region.setAttribute("aria-label", (seen[name] > 1 ? name + " (" + seen[name] + ")" : name) +
        ", kan rulles sideveis");
    });
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
        table.setAttribute("data-kb-table-region", "");
      } else if (!scrolls && table.getAttribute("role") === "region") {
        table.removeAttribute("tabindex");
        table.removeAttribute("role");
        table.removeAttribute("aria-label");
        table.removeAttribute("data-kb-table-region");
      }
    });
    nameRegions();
  }
  // Material wraps the tables once its own script has set up the page, and announces that on document$.
  if (typeof document$ !== "undefined") {
    document$.subscribe(markScrollingTables);
  } else {
    document.addEventListener("DOMContentLoaded", markScrollingTables);
  }
  window.addEventListener("resize", markScrollingTables);
})();
