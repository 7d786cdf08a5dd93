"""Plain language (språklova § 9): the citizen pages stay at or below LIX 40.

The report of the hardest pages is written to reports/readability.txt on every run.
"""

from __future__ import annotations

from sitekit import ROOT

from knowledgebase.readability import LIX_LIMIT, article_text, citizen_pages, lix


def test_lix_counts_long_words_and_sentence_length():
    assert lix("Du kan ringe oss. Vi hjelper deg.") < 20
    assert lix("Kommunehelsetjenesten tilrettelegger samhandlingsprosedyrer for spesialisthelsetjenesten.") > 60


def test_article_text_stops_before_sources_and_backlinks():
    html = ("<article><h1>Tittel</h1><p>Lett tekst.</p><p><em class=\"kb-missing\">Ikke oppgitt i "
            "kilden.</em></p><h2>Kilder</h2><p>Vanskelige kildehenvisninger</p></article>")
    assert article_text(html) == "Lett tekst."


def test_citizen_pages_are_plain_norwegian(project_site):
    pages = citizen_pages(project_site)
    assert len(pages) > 200
    scores = sorted(((lix(article_text(p.read_text(encoding="utf-8"))), p.relative_to(project_site).as_posix())
                     for p in pages), reverse=True)
    report = ROOT / "reports" / "readability.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text("LIX of citizen pages, hardest first\n" + "\n".join(f"{v:5.1f}  {p}" for v, p in scores) + "\n",
                      encoding="utf-8")
    over = [(round(v, 1), p) for v, p in scores if v > LIX_LIMIT]
    assert not over, f"{len(over)} of {len(scores)} citizen pages are above LIX {LIX_LIMIT}; hardest: {over[:15]}"
