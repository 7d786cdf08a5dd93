// Tables wider than the screen scroll sideways inside themselves. Such a scrolling region must
// be reachable by keyboard (WCAG 2.1.1), so it gets a tab stop and a name while it scrolls.
(function () {
  function markScrollingTables() {
    // Material wraps tables in a scrolling box; some tables scroll themselves. Mark whichever scrolls.
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset table").forEach(function (table) {
      var wrap = table.closest(".md-typeset__scrollwrap");
      if (table.tagName === "TABLE" && wrap && wrap.getAttribute("role") === "region") {
        return;  // its box already has the tab stop
      }
      var scrolls = table.scrollWidth > table.clientWidth + 1;
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
  document.addEventListener("DOMContentLoaded", markScrollingTables);
  window.addEventListener("resize", markScrollingTables);
})();
