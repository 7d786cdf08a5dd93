// Tables wider than the screen scroll sideways inside themselves. Such a scrolling region must
// be reachable by keyboard (WCAG 2.1.1), so it gets a tab stop and a name while it scrolls.
(function () {
  function markScrollingTables() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
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
