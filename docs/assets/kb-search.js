// The site's search (the search page sok/ and the header's search box). Pagefind indexes the built
// pages (knowledgebase/search.py); this script turns what people type into what the pages say,
// using the editors' search words (data/sokeord.yml, written to assets/sokeord.json):
//   1. small letters, punctuation out; a kommune's name becomes a filter on that kommune;
//   2. everyday words, synonyms, misspellings and compounds are replaced by the words the pages use;
//   3. stop words («å», «i», «min») are left out; the remaining words must all match (AND);
//   4. each word is also searched alone, and those hits are added, ranked lower;
//   5. help and service pages rank above plan pages, unless the query asks for a plan.
// window.kbSearch.find(query) gives the ranked results (the tests use it); nothing runs inline.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href);
  var engine = null;

  // Page kinds by address: the label shown with a result, and how much the kind weighs in ranking.
  var KINDS = [
    [/^akutt-hjelp\//, "Akutt hjelp", 1.6],
    [/^kommuner\/[^/]+\/hjelp\//, "Hjelp", 1.6],
    [/^kommuner\/[^/]+\/tjenester\/[^/]+\//, "Tjeneste", 1.5],
    [/^rutiner\/[^/]+\//, "Rutine", 1.3],
    [/^regelverk\/[^/]+\//, "Lov og forskrift", 1.2],
    [/^(begreper|dokumenter|anbefalinger|prinsipper|krav|verktoy|regelverk|rutiner)\/$/, "Oversikt", 0.5],
    [/^kommuner\/[^/]+\/(ansvar|enheter|tiltaksoversikt|tjenester)\/$/, "Oversikt", 0.5],
    [/^(begreper|verktoy|hovedforlop)\//, "Oppslag", 1.1],
    [/^kommuner\/[^/]+\/enheter\/[^/]+\//, "Enhet", 1.0],
    [/^kommuner\/[^/]+\/ansvar\/[^/]+\//, "Ansvar", 1.0],
    [/^kommuner\/[^/]+\/(plan|handlingsplan|tiltak)\//, "Plan", 0.6],
    [/^kommuner\/[^/]+\/(statistikk|mangler|utskrift)\//, "Plan", 0.5],
    [/./, "Side", 1.0],
  ];
  var MAX_SHOWN = 20;
  var PLAN_WORDS = /plan|tiltak|statistikk|mål/;

  function kindOf(url) {
    var path = new URL(url, root).pathname.slice(root.pathname.length);
    for (var i = 0; i < KINDS.length; i++) {
      if (KINDS[i][0].test(path)) return { label: KINDS[i][1], weight: KINDS[i][2], path: path };
    }
    return { label: "Side", weight: 1.0, path: path };
  }

  function normalise(text) {
    return (" " + text.toLowerCase() + " ")
      .replace(/[«»"“”'’.,:;!?()[\]{}§/\\]/g, " ")
      .replace(/(\D)-(?=\s)/g, "$1 ")  // «helse- og omsorgstjenesteloven»
      .replace(/\s+/g, " ").trim();
  }

  function load() {
    if (engine) return engine;
    engine = Promise.all([
      import(new URL("pagefind/pagefind.js", root).href),
      fetch(new URL("assets/sokeord.json", root)).then(function (r) { return r.json(); }),
    ]).then(function (parts) {
      var pagefind = parts[0], words = parts[1];
      return pagefind.options({ basePath: new URL("pagefind/", root).pathname }).then(function () {
        pagefind.init();
        words.ord.sort(function (a, b) { return b[0].length - a[0].length; });
        return { pagefind: pagefind, words: words, stop: new Set(words.stoppord) };
      });
    });
    return engine;
  }

  // What to search for: the kommune filter, the rewritten words, and the typed words without stop words.
  function understand(query, words, stop) {
    var text = " " + normalise(query) + " ";
    var kommune = null;
    words.kommuner.forEach(function (k) {
      k.varianter.forEach(function (name) {
        if (!kommune && text.indexOf(" " + name + " ") >= 0) {
          kommune = k;
          text = text.replace(" " + name + " ", " ");
        }
      });
    });
    var typed = text;
    words.ord.forEach(function (w) {
      if (text.indexOf(" " + w[0] + " ") >= 0) text = text.split(" " + w[0] + " ").join(" " + w[1] + " ");
    });
    function keep(t) {
      var all = t.trim().split(" ").filter(Boolean);
      var kept = all.filter(function (w) { return !stop.has(w); });
      return kept.length ? kept : all;
    }
    return { kommune: kommune, terms: keep(text), typed: keep(typed) };
  }

  function holdsAWord(d, words) {
    var text = " " + ((d.meta.title || "") + " " + (d.content || "")).toLowerCase().replace(/[^a-zæøåéü0-9]+/g, " ");
    return words.some(function (t) {
      return text.indexOf(" " + t.toLowerCase().slice(0, Math.min(4, t.length))) >= 0;
    });
  }

  function find(query) {
    return load().then(function (e) {
      var q = understand(query, e.words, e.stop);
      var options = q.kommune ? { filters: { kommune: q.kommune.id } } : {};
      var scores = new Map();
      var found = new Map();
      function add(response, weight, sum) {
        (response && response.results ? response.results : []).forEach(function (r) {
          found.set(r.id, r);
          var s = r.score * weight;
          scores.set(r.id, sum ? (scores.get(r.id) || 0) + s : Math.max(scores.get(r.id) || 0, s));
        });
      }
      function search(terms) {
        return e.pagefind.search(terms.length ? terms.join(" ") : null, options);
      }
      var typedDiffers = q.typed.join(" ") !== q.terms.join(" ");
      var words = Array.from(new Set(q.terms.concat(q.typed)));  // what was typed and what it became
      return Promise.all([search(q.terms), typedDiffers ? search(q.typed) : null]).then(function (r) {
        add(r[0], 1.0, false);
        add(r[1], 0.8, false);
        if (words.length < 2) return null;
        // Pages that hold only some of the words (often the page meant): each word alone, ranked lower.
        return Promise.all(words.map(function (t) { return search([t]); })).then(function (each) {
          each.forEach(function (one) { add(one, 0.3 / words.length, true); });
        });
      }).then(function () {
        var top = Array.from(scores.keys()).sort(function (a, b) { return scores.get(b) - scores.get(a); })
          .slice(0, 60);
        return Promise.all(top.map(function (id) { return found.get(id).data(); })).then(function (data) {
          var planWanted = words.some(function (t) { return PLAN_WORDS.test(t); });
          var results = data.map(function (d, i) {
            var kind = kindOf(d.url);
            var weight = planWanted && kind.label === "Plan" ? 1.0 : kind.weight;
            // A page whose title holds the words searched for is most likely the page meant; a tiltak's title is
            // its text, so plan pages get this only when the query asks for the plan.
            var title = (d.meta.title || "").toLowerCase();
            var inTitle = words.filter(function (t) {
              return title.indexOf(t.slice(0, Math.max(5, t.length - 3))) >= 0;
            }).length;
            if (kind.label !== "Plan" || planWanted) weight *= 1 + Math.min(1, inTitle / q.terms.length);
            return { url: d.url, path: kind.path, title: d.meta.title || d.url, excerpt: d.excerpt,
                     kind: kind.label, score: scores.get(top[i]) * weight };
          });
          // Pagefind answers a word it does not know with pages holding a shorter indexed word that begins it
          // ("b" for "blorfquux"). Keep a page only if it holds a word that starts like one of the query's.
          results = results.filter(function (r, i) { return holdsAWord(data[i], words); });
          results.sort(function (a, b) { return b.score - a.score || (a.path < b.path ? -1 : 1); });
          return { query: q, results: results };
        });
      });
    });
  }

  // --- The search page ---------------------------------------------------------------------------

  // Entities to text, spaces kept; a <textarea>'s content is read as text only, so nothing in it becomes markup.
  function decode(text) {
    var area = document.createElement("textarea");
    area.innerHTML = text;
    return area.value;
  }

  // Pagefind's excerpt is escaped text with <mark> around the hits; rebuild it as text and <mark> nodes.
  function excerptNodes(excerpt) {
    var out = document.createDocumentFragment();
    excerpt.split(/(<mark>.*?<\/mark>)/).forEach(function (part) {
      var hit = /^<mark>(.*)<\/mark>$/.exec(part);
      var text = decode(hit ? hit[1] : part);
      if (!text) return;
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = text;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(text));
      }
    });
    return out;
  }

  function show(list, status, found, typed) {
    list.textContent = "";
    var shown = found.results.slice(0, MAX_SHOWN);
    shown.forEach(function (r) {
      var item = document.createElement("li");
      item.className = "kb-search__result";
      var link = document.createElement("a");
      link.href = r.url;
      link.textContent = r.title;
      var kind = document.createElement("span");
      kind.className = "kb-search__kind";
      kind.textContent = r.kind;
      var text = document.createElement("p");
      text.appendChild(excerptNodes(r.excerpt || ""));
      item.append(link, " ", kind, text);
      list.appendChild(item);
    });
    var where = found.query.kommune ? " i " + found.query.kommune.navn : "";
    status.textContent = shown.length
      ? (found.results.length > shown.length ? "Viser de " + shown.length + " beste av " + found.results.length
        : shown.length + (shown.length === 1 ? " treff" : " treff")) + where + " for «" + typed + "»."
      : "Ingen treff" + where + " for «" + typed + "». Prøv et annet ord, eller færre ord.";
  }

  function startPage() {
    var form = document.getElementById("kb-search-form");
    if (!form) return;
    var input = document.getElementById("kb-search-q");
    var status = document.getElementById("kb-search-status");
    var list = document.getElementById("kb-search-results");
    var header = document.getElementById("kb-header-q");
    function run(query) {
      if (header) header.value = query;
      if (!query.trim()) {
        status.textContent = "Skriv hva du leter etter.";
        list.textContent = "";
        return;
      }
      status.textContent = "Søker …";
      find(query).then(function (found) {
        if (input.value === query) show(list, status, found, query);
      }, function () {
        status.textContent = "Søket er ikke tilgjengelig. Søkeindeksen lages når nettstedet bygges (mkdocs build).";
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url);
      run(input.value);
    });
    var query = new URLSearchParams(location.search).get("q") || "";
    input.value = query;
    if (query) run(query);
  }

  window.kbSearch = { find: find, load: load };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startPage);
  } else {
    startPage();
  }
})();
