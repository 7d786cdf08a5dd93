"""Review dates of routines: an overdue routine is marked on its page, in the review list and in the build log.

The dates are example data in the fixture project; the real site publishes no owner or date that no source gives.
"""

from __future__ import annotations

import re

from sitekit import make_site, mkdocs_build


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_overdue_routine_is_marked_on_its_page_in_the_list_and_in_the_log(tmp_path):
    site = make_site(tmp_path / "project")
    routine = site / "docs/rutiner/ip.md"
    routine.write_text(routine.read_text(encoding="utf-8").replace("neste_revisjon: 2027-01-01",
                                                                   "neste_revisjon: 2020-01-01"), encoding="utf-8")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    assert "passed its review date 2020-01-01" in result.stdout + result.stderr
    page = _text((site / "site/rutiner/ip/index.html").read_text(encoding="utf-8"))
    assert "Revisjonen er forfalt" in page and "01.01.2020" in page
    review = (site / "site/rutiner/revisjon/index.html").read_text(encoding="utf-8")
    overdue = _text(review.split('id="forfalt"')[1].split('id="kommende"')[0])
    assert "01.01.2020" in overdue and "Ingen rutiner er forfalt" not in overdue


def test_a_routine_without_owner_or_dates_says_so_and_gives_the_next_step(tmp_path):
    site = make_site(tmp_path / "project")
    routine = site / "docs/rutiner/ip.md"
    text = routine.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(eier|neste_revisjon|sist_revidert): .*\n", "", text)
    routine.write_text(text, encoding="utf-8")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    page = _text((site / "site/rutiner/ip/index.html").read_text(encoding="utf-8"))
    assert "Eier Ikke oppgitt i kilden. Kommunen bestemmer hvem som eier rutinen." in page
    assert "Revisjonen er forfalt" not in page
    review = _text((site / "site/rutiner/revisjon/index.html").read_text(encoding="utf-8"))
    assert "Uten revisjonsdato (1)" in review and "Ingen rutiner har en dato for neste revisjon" in review
