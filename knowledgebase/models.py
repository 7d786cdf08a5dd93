"""Typed records for every entity of the knowledge base, one class per YAML entity.

Imports nothing from the rest of the package except the vocabulary in this file. All
models forbid unknown fields so a misspelt field is an error, never silently dropped.
Text fields refuse raw HTML and ``javascript:`` links; they may hold Markdown and
cross-references written as ``[[type:id]]`` (see :mod:`knowledgebase.refs`).

Field names are Norwegian, as the editors write them, spelt without æ/ø/å
(``okonomi``, ``malgrupper``, ``frist_ar``) so every keyboard and schema tool copes.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

# --- Shared vocabulary ------------------------------------------------------------------

NOT_STATED = "Ikke oppgitt i kilden"
"""What every page shows where the source gives no value."""

_HTML = re.compile(r"<\s*[a-zA-Z!/?][^>]*>?|javascript\s*:|vbscript\s*:|data\s*:\s*text/html", re.IGNORECASE)


def _no_html(value: str) -> str:
    match = _HTML.search(value)
    if match:
        raise ValueError(
            f"contains HTML or a script link ({match.group(0)[:30]!r}); write plain text, "
            "Markdown such as **bold** or [text](https://...), or a reference such as [[lov:hol/3-1]]"
        )
    return value


_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^)>\n]*)")
_REF_DEFINITION = re.compile(r"(?m)^ {0,3}(\[[^\]\n]+\]|\*\[[^\]\n]+\]):")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
SAFE_SCHEMES = ("https", "http", "mailto", "tel")
"""Where a link in a text field may point; anything else must be an address on this site."""


def link_problem(url: str, image: bool = False) -> str | None:
    """Why a link or image address is not allowed in a text field, or None.

    The address is read as a browser would: entities decoded, control characters and white space
    removed, percent-encoding of the scheme undone, case ignored.
    """
    address = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(html.unescape(url)))
    address = urllib.parse.unquote(address).lower()
    scheme = _SCHEME.match(address)
    if image:
        if scheme or address.startswith("//"):
            return f"the image {url!r} is on another site; images must be files of this site (docs/assets/...)"
        return None
    if scheme and scheme.group(1) not in SAFE_SCHEMES:
        return (f"the link {url!r} uses '{scheme.group(1)}:'; a link may only go to https:, http:, mailto:, "
                "tel: or a page of this site")
    return None


def _safe_markdown(value: str) -> str:
    for found in _LINK.finditer(value):
        problem = link_problem(found.group(2), image=bool(found.group(1)))
        if problem:
            raise ValueError(problem)
    definition = _REF_DEFINITION.search(value)
    if definition:
        raise ValueError(f"{definition.group(1)}: at the start of a line defines a link or abbreviation for the "
                         "whole page; write the link as [text](https://...) where it is used")
    return value


def _one_line(value: str) -> str:
    if "\n" in value.strip():
        raise ValueError("must be a single line; move longer text to a description field")
    return value


Text = Annotated[str, AfterValidator(_no_html), AfterValidator(_safe_markdown)]
"""Free text: Markdown and ``[[refs]]`` allowed, HTML refused."""

Line = Annotated[str, AfterValidator(_no_html), AfterValidator(_safe_markdown), AfterValidator(_one_line),
                 Field(min_length=1)]
"""A short, single-line text such as a title."""

_ID = r"^[a-z0-9][a-z0-9._-]*$"
Id = Annotated[str, Field(pattern=_ID, min_length=1, max_length=80)]
"""A local id: lower-case letters, digits, '.', '_' and '-'; no spaces and no æ/ø/å."""

RefId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._/ -]*$", min_length=1)]
"""An id as used in a reference field; may carry a ``kommune/`` or ``lov/paragraf`` part."""

Url = Annotated[str, Field(pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s<>\"'()\[\]{}\\]*)?$")]
"""A web address: http(s), a host name, and a path without characters that could end a Markdown link."""

LawKind = Literal["lov", "forskrift"]
DocumentKind = Literal[
    "veileder",
    "retningslinje",
    "strategi",
    "handlingsplan",
    "opptrappingsplan",
    "stortingsmelding",
    "proposisjon",
    "nou",
    "rapport",
    "rundskriv",
    "pasientforlop",
    "annet",
]
ValidityStatus = Literal["gjeldende", "endret", "erstattet", "opphevet", "historisk", "ukjent"]
VALIDITY_TITLES: dict[str, str] = {
    "gjeldende": "Gjeldende",
    "endret": "Endret",
    "erstattet": "Erstattet",
    "opphevet": "Opphevet",
    "historisk": "Historisk",
    "ukjent": "Ukjent",
}
"""Status of a law, paragraph or document; 'historisk' is still published but rests on an older order."""
OUT_OF_FORCE = frozenset({"erstattet", "opphevet", "historisk"})
"""The statuses a citation is flagged for where it is cited."""

Audience = Literal[
    "barn", "ungdom", "unge_voksne", "voksne", "eldre", "foreldre", "gravide", "parorende", "flyktninger", "ansatte",
    "alle",
]
Situation = Literal[
    "barn_unge",
    "angst_depresjon",
    "rus_spill",
    "parorende",
    "akutt_krise",
    "alvorlig_psykisk_lidelse",
    "bolig_arbeid_okonomi",
    "aktivitet_fellesskap",
    "eldre",
    "flyktning",
    "gravid_smabarn",
]
SITUATION_TITLES: dict[str, str] = {
    "barn_unge": "Bekymret for et barn eller en ungdom",
    "angst_depresjon": "Angst, depresjon eller søvnvansker",
    "rus_spill": "Rus eller spill",
    "parorende": "Pårørende",
    "akutt_krise": "Akutt krise eller selvmordstanker",
    "alvorlig_psykisk_lidelse": "Alvorlig psykisk lidelse, for eksempel psykose",
    "bolig_arbeid_okonomi": "Bolig, arbeid eller økonomi",
    "aktivitet_fellesskap": "Ensomhet, aktivitet og møteplasser",
    "eldre": "Eldre",
    "flyktning": "Flyktning eller asylsøker",
    "gravid_smabarn": "Gravid eller småbarnsforeldre",
}
SITUATION_SLUGS: dict[str, str] = {key: key.replace("_", "-") for key in SITUATION_TITLES}
ServiceKind = Literal[
    "lavterskel_samtale", "psykolog", "rus", "bolig", "arbeid_aktivitet", "parorende", "barn_unge", "krise_akutt",
    "dag_dogn", "brukermedvirkning",
]
SERVICE_KIND_TITLES: dict[str, str] = {
    "lavterskel_samtale": "Lavterskel samtaletilbud",
    "psykolog": "Psykolog",
    "rus": "Rus",
    "bolig": "Bolig",
    "arbeid_aktivitet": "Arbeid og aktivitet",
    "parorende": "Pårørende",
    "barn_unge": "Barn og unge",
    "krise_akutt": "Krise og akutt",
    "dag_dogn": "Dag- og døgntilbud",
    "brukermedvirkning": "Brukermedvirkning",
}
"""The kinds of service the kommuner are compared by (issue 15); a service may have several kinds or none."""

Access = Literal["selvhenvisning", "henvisning", "soknad_vedtak"]
ACCESS_TITLES: dict[str, str] = {
    "selvhenvisning": "Ta kontakt selv",
    "henvisning": "Henvisning (for eksempel fra fastlege)",
    "soknad_vedtak": "Søknad og vedtak",
}
ServiceLevel = Literal["kommunal", "interkommunal", "spesialisthelsetjeneste", "statlig", "frivillig", "privat"]
ServiceStatus = Literal["eksisterende", "planlagt", "avviklet"]
UnitKind = Literal["enhet", "rolle", "politisk", "samarbeidsorgan", "ekstern"]
TiltakStatus = Literal["ikke_startet", "pagar", "fullfort", "utsatt", "avlyst"]
TILTAK_STATUS_TITLES: dict[str, str] = {
    "ikke_rapportert": "Ikke rapportert",
    "ikke_startet": "Ikke startet",
    "pagar": "Pågår",
    "fullfort": "Fullført",
    "utsatt": "Utsatt",
    "avlyst": "Avlyst",
}
PlanStatus = Literal["utkast", "horing", "vedtatt", "ukjent"]


class Record(BaseModel):
    """Base of every record: unknown fields are errors, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


class Source(Record):
    """Where a fact comes from: a source document and, if known, its chapter and lines."""

    dokument: Id = Field(description="Id of a source document in data/kilder.yml, e.g. flaa-plan")
    kapittel: Line | None = Field(None, description="Chapter or section as numbered in the source, e.g. '4.1.2'")
    linjer: Annotated[str, Field(pattern=r"^\d+([–-]\d+)?(, ?\d+([–-]\d+)?)*$")] | None = Field(
        None, description="Line or line range in the text extraction, e.g. '2047-2062'"
    )
    merknad: Line | None = Field(None, description="Anything a reader needs to check the fact")


Sources = Annotated[list[Source], Field(default_factory=list)]


class WebSource(Record):
    """A public web page a fact was taken from: not one of the five source documents."""

    utgiver: Line = Field(description="Who publishes the page, e.g. 'Sel kommune' or 'Helsenorge'")
    url: Url
    sjekket: date = Field(description="The day someone read the fact on the page")
    sidedato: Line | None = Field(None, description="The date or year the page itself shows, if any")
    lagret_kopi: bool = Field(False, description="True when it was read in a stored copy, not on the live page")
    merknad: Line | None = None


WebSources = Annotated[list[WebSource], Field(default_factory=list)]


class CoveredToday(Record):
    """Which chapter of a newer document covers the topic of one chapter of an old one, as checked on the web.

    ``dagens_kapittel`` is left out where no chapter was found; ``url`` then names the page where the reader
    can look (the newer document's table of contents).
    """

    kapittel: int = Field(ge=1, description="Number of the chapter in this (the old) document, e.g. 2")
    dokument: RefId = Field(description="Id of the document that covers the topic today")
    dagens_kapittel: Line | None = Field(None, description="Title of today's chapter as its page gives it; "
                                         "leave out when no chapter was found")
    url: Url = Field(description="The chapter's page; where no chapter was found, the document's table of contents")
    sjekket: date = Field(description="The day someone read the page")
    lagret_kopi: bool = Field(False, description="True when it was read in a stored copy, not on the live page")
    merknad: Line | None = None

    @field_validator("sjekket")
    @classmethod
    def _not_in_future(cls, value: date) -> date:
        if value > date.today():
            raise ValueError(f"{value.isoformat()} is in the future; write the day the page was read, "
                             f"today ({date.today().isoformat()}) at the latest")
        return value


class SourceDocument(Record):
    """One of the documents the site is built from (data/kilder.yml)."""

    id: Id
    tittel: Line
    utgiver: Line
    ar: int | None = Field(None, ge=1900, le=2100, description="Year, where the document gives it")
    fil: Line = Field(description="Text extraction in shared/seeds/")
    beskrivelse: Text
    dokument: RefId | None = Field(None, description="The catalogue record of the same document, if any")


# --- National layer -----------------------------------------------------------------------


class Provision(Record):
    """One paragraph (or chapter) of a law or regulation that the sources cite."""

    nr: Annotated[str, Field(pattern=r"^(kap\. ?)?[0-9]+ ?[A-Za-z]?(-[0-9]+ ?[a-z]?)?$")] = Field(
        description="Paragraph number as Lovdata writes it, e.g. '3-1', '2-1 a', '4 A-2'; a chapter as 'kap. 2'"
    )
    tittel: Line
    sammendrag: Text = Field(description="What the paragraph says, in your own plain Norwegian")
    url: Url | None = Field(None, description="Only if Lovdata's address differs from the derived one")
    status: ValidityStatus = "gjeldende"
    status_dato: date | None = None
    erstattet_av: list[RefId] = Field(default_factory=list,
                                      description="Laws or paragraphs that took over, e.g. [bsl] or [pbrl/2-1a]")
    status_merknad: Text | None = None

    @model_validator(mode="after")
    def _historic_needs_reason(self) -> Provision:
        _check_reason(self.status, self.status_merknad)
        return self

    @property
    def key(self) -> str:
        """The paragraph's id within its law: '3-1', '2-1a', 'kap2'."""
        return provision_key(self.nr)

    @property
    def is_chapter(self) -> bool:
        return self.nr.startswith("kap")


def _check_reason(status: str, merknad: str | None) -> None:
    """A 'historisk' status must say why in status_merknad."""
    if status == "historisk" and not merknad:
        raise ValueError("status 'historisk' needs 'status_merknad: <why it is historic and what covers it today>'")


def provision_key(nr: str) -> str:
    """Normalise a paragraph number to its id: '2-1 a' -> '2-1a', 'kap. 2' -> 'kap2'."""
    return re.sub(r"[\s.]", "", nr.lower())


class Law(Record):
    """A law or regulation (data/nasjonalt/lover.yml)."""

    id: Id = Field(description="Short id used in references, e.g. 'hol' for [[lov:hol/3-1]]")
    type: LawKind
    tittel: Line = Field(description="Official title")
    korttittel: Line | None = None
    lovdata_id: Annotated[str, Field(pattern=r"^(LOV|FOR)-\d{4}-\d{2}-\d{2}-\d+$")] = Field(
        description="Lovdata's identifier, e.g. LOV-2011-06-24-30"
    )
    url: Url | None = Field(None, description="Only if Lovdata's address differs from the derived one")
    status: ValidityStatus = "gjeldende"
    status_dato: date | None = None
    erstattet_av: RefId | None = Field(None, description="Id of the law that replaced it")
    status_merknad: Text | None = None
    tidligere_navn: list[Line] = Field(default_factory=list, description="Names the sources use for it")
    sammendrag: Text
    paragrafer: list[Provision] = Field(default_factory=list)
    kilder: Sources

    @model_validator(mode="after")
    def _replaced_needs_target(self) -> Law:
        if self.status == "erstattet" and not self.erstattet_av:
            raise ValueError("status 'erstattet' needs 'erstattet_av: <id of the new law>'")
        _check_reason(self.status, self.status_merknad)
        return self


class Document(Record):
    """A national guideline, strategy, white paper, proposition or report."""

    id: Id
    type: DocumentKind
    tittel: Line
    korttittel: Line | None = None
    utgiver: Line | None = None
    ar: int | None = Field(None, ge=1900, le=2100)
    nummer: Line | None = Field(None, description="IS-, Prop.-, Meld. St.- or NOU-number, e.g. IS-1332")
    url: Url | None = Field(None, description="Address as the source gives it")
    status: ValidityStatus = "ukjent"
    status_dato: date | None = None
    erstattet_av: RefId | None = None
    status_merknad: Text | None = Field(None, description="Why the status is what it is; required for 'historisk' "
                                       "and 'ukjent'")
    status_kilder: WebSources = Field(description="Publisher's pages that confirm the status, with the day checked")
    dekkes_i_dag: list[CoveredToday] = Field(default_factory=list, description="For each chapter (topic): the "
                                             "chapter of a newer document that covers it today, or that none was found")
    sammendrag: Text | None = None
    kilder: Sources

    @model_validator(mode="after")
    def _historic_needs_reason(self) -> Document:
        _check_reason(self.status, self.status_merknad)
        if self.status == "ukjent" and not self.status_merknad:
            raise ValueError("status 'ukjent' needs 'status_merknad: <why no source settles the status, and where "
                             "the reader can check it>'")
        return self


class Recommendation(Record):
    """A recommendation («godt råd») in a national document."""

    id: Id = Field(description="Local id within its document, e.g. '2.5-1'")
    dokument: RefId
    kapittel: Line
    tema: Line
    rettet_til: list[Line] = Field(min_length=1, description="Who it addresses: kommunen, ledelsen, fastlegen, ...")
    sammendrag: Text = Field(description="One line in your own words")
    kilde: Source


class Term(Record):
    """A glossary term or abbreviation.

    An abbreviation whose meaning the sources do not give has no ``term``: it stays out of the glossary
    and goes on the editors' list of unexplained abbreviations until someone confirms what it means.
    """

    id: Id
    term: Line | None = Field(None, description="What it stands for; leave out when the sources do not say "
                              "(the abbreviation then goes on the editors' list, not in the glossary)")
    forkortelse: Line | None = Field(None, description="The abbreviation as written, e.g. ROP")
    forklaring: Text
    se_ogsa: list[Line] = Field(default_factory=list, description="References such as lov:hol or begrep:ip")
    kilder: Sources

    @property
    def explained(self) -> bool:
        """Whether the sources say what the term or abbreviation means."""
        return self.term is not None

    @model_validator(mode="after")
    def _term_or_abbreviation(self) -> Term:
        if self.term is None and self.forkortelse is None:
            raise ValueError("needs 'term: <the word or phrase>' or, for an abbreviation, 'forkortelse: <as written>'")
        return self


class Helpline(Record):
    """A help line or crisis number."""

    id: Id
    navn: Line
    nummer: Annotated[str, Field(pattern=r"^[0-9 +]{3,16}$")]
    for_hvem: Text
    nar: Line | None = Field(None, description="Opening hours; leave out when not confirmed")
    akutt: bool = Field(False, description="True for numbers to call in an emergency")
    rekkefolge: int = Field(100, description="Order in the crisis block (lowest first)")
    beskrivelse: Text
    url: Url | None = None
    situasjoner: list[Situation] = Field(default_factory=list, description="Situation pages that show the number")
    kilder: Sources
    nettkilder: list[WebSource] = Field(min_length=1, description="The public pages that give the number and hours")


class Tool(Record):
    """An assessment tool, survey, method or registration system."""

    id: Id
    navn: Line
    fullt_navn: Line | None = Field(None, description="Only where it can be confirmed")
    type: Literal["kartlegging", "metode", "program", "system", "undersokelse"] = "kartlegging"
    formal: Text
    malgruppe: Text | None = None
    hvor: Text | None = Field(None, description="Where the sources say it is found or used")
    kilder: Sources


class Pathway(Record):
    """One of the three hovedforløp of «Sammen om mestring»."""

    id: Annotated[str, Field(pattern=r"^[1-3]$")]
    navn: Line
    definisjon: Text
    typiske_tilstander: list[Line] = Field(default_factory=list)
    kommunens_rolle: Text | None = None
    spesialisthelsetjenestens_rolle: Text | None = None
    kilder: Sources


class Requirement(Record):
    """A requirement on routines or collaboration that routines and responsibilities can meet."""

    id: Id
    tittel: Line
    krav: Text
    stilles_av: Line | None = None
    hjemmel: list[RefId] = Field(default_factory=list)
    kilde: Source


PrincipleKind = Literal["ansvarstype", "forebyggingsniva", "samarbeidsprinsipp", "fallgruve", "prinsipp"]
PRINCIPLE_TITLES: dict[str, str] = {
    "ansvarstype": "Hvem har hvilket ansvar",
    "forebyggingsniva": "Nivåer av forebygging og behandling",
    "samarbeidsprinsipp": "Prinsipper for samarbeid",
    "fallgruve": "Fallgruver i samarbeid",
    "prinsipp": "Andre prinsipper",
}


class Principle(Record):
    """A kind of responsibility, a level of prevention, or a principle or pitfall of collaboration."""

    id: Id
    type: PrincipleKind
    tittel: Line
    beskrivelse: Text
    rekkefolge: int = Field(100, description="Order within its kind (lowest first)")
    hjemmel: list[RefId] = Field(default_factory=list, description="Law references, e.g. hol/3-1")
    enheter: list[RefId] = Field(default_factory=list, description="Units that carry it, as kommune/unit-id")
    krav: list[RefId] = Field(default_factory=list)
    kilde: Source


# --- Kommune layer -------------------------------------------------------------------------


class PlanInfo(Record):
    """The kommune's plan for mental health and substance-abuse work."""

    tittel: Line
    kildear: int | None = Field(None, ge=1990, le=2100, description="The year the plan's facts are from: its date, "
                                "its hearing or the first year of its period")
    periode_fra: int | None = Field(None, ge=1990, le=2100)
    periode_til: int | None = Field(None, ge=1990, le=2100)
    periode_merknad: Line | None = None
    status: PlanStatus
    dato: date | None = Field(None, description="The date printed on the plan, if any")
    vedtatt_dato: date | None = Field(None, description="Adoption date; leave out when the source does not give it")
    vedtatt_av: Line | None = None
    erstatter: Text | None = None
    kildedokument: Id
    beskrivelse: Text | None = None


class Fact(Record):
    """One contact fact with where it comes from: a public web page or a source document."""

    verdi: Line
    nettkilde: WebSource | None = None
    kilde: Source | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Fact:
        if self.nettkilde is None and self.kilde is None:
            raise ValueError("a contact fact needs its source: 'nettkilde: {utgiver: ..., url: ..., sjekket: "
                             "YYYY-MM-DD}' or 'kilde: {dokument: ..., linjer: ...}'")
        return self


PHONE = r"^\+?[0-9][0-9 ]{2,18}$"


class KommuneContact(Record):
    """How a citizen reaches the kommune itself; each fact with its source (kommune.yml, 'kontakt')."""

    nettside: Fact | None = None
    sentralbord: Fact | None = None
    servicetorg: Fact | None = Field(None, description="The service centre's opening hours")
    postadresse: Fact | None = None
    besoksadresse: Fact | None = None
    epost: Fact | None = None
    legevakt: Fact | None = Field(None, description="Which legevakt serves the kommune")
    fastlege: Fact | None = Field(None, description="How a citizen finds or changes fastlege")

    @model_validator(mode="after")
    def _shapes(self) -> KommuneContact:
        if self.sentralbord and not re.match(PHONE, self.sentralbord.verdi):
            raise ValueError("sentralbord.verdi must be a phone number of digits and spaces, e.g. '61 12 64 00'")
        if self.epost and not re.match(r"^[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}$", self.epost.verdi):
            raise ValueError("epost.verdi must be an e-mail address, e.g. 'postmottak@sel.kommune.no'")
        if self.nettside and not re.match(r"^https://[A-Za-z0-9.-]+(/[^\s<>\"'()\[\]{}\\]*)?$", self.nettside.verdi):
            raise ValueError("nettside.verdi must be an address starting with https://, e.g. 'https://www.sel.kommune.no/'")
        return self


class Kommune(Record):
    """A kommune and its plan (data/kommuner/<id>/kommune.yml)."""

    id: Id
    navn: Line
    fylke: Line | None = None
    region: Line | None = None
    helseforetak: Line | None = None
    innbyggere: int | None = Field(None, ge=0)
    innbyggere_ar: int | None = None
    beskrivelse: Text | None = None
    kontakt: KommuneContact | None = None
    plan: PlanInfo


class Contact(Record):
    """Contact details exactly as the source gives them; anything else stays empty."""

    telefon: Annotated[str, Field(pattern=r"^[0-9 +]{3,20}$")] | None = None
    epost: Annotated[str, Field(pattern=r"^[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}$")] | None = None
    adresse: Line | None = None
    nettside: Url | None = None
    merknad: Line | None = None
    for_fagfolk: bool = Field(False, description="True when the source gives the number for professionals "
                              "(for example the legevakt), not for the public: it is never shown as a number to call")


class Unit(Record):
    """A municipal unit, role, external body or collaboration forum."""

    id: Id
    navn: Line
    type: UnitKind
    beskrivelse: Text | None = None
    del_av: Id | None = Field(None, description="Id of the unit this one belongs to")
    kilder: Sources


class Service(Record):
    """A service, offer, programme, team, group or meeting place."""

    id: Id
    navn: Line
    status: ServiceStatus = "eksisterende"
    niva: ServiceLevel = "kommunal"
    leverandor: Id | None = Field(None, description="Id of the unit that provides it (units.yml)")
    malgrupper: list[Audience] = Field(default_factory=list)
    situasjoner: list[Situation] = Field(default_factory=list)
    slag: list[ServiceKind] = Field(default_factory=list, description=(
        "What kind of service it is, for comparing kommuner; read from its own name, description and target groups: "
        "lavterskel_samtale (talks without referral), psykolog (a psychologist helps), rus (mainly for substance "
        "use), bolig (housing and help to live), arbeid_aktivitet (work, activity and meeting places), parorende "
        "(for next of kin), barn_unge (for children, young people and their parents), krise_akutt (acute help and "
        "crisis), dag_dogn (day centres, day offers and places with staff round the clock), brukermedvirkning "
        "(users have a say in the services). Leave it out when none fits"))
    hovedforlop: list[Annotated[str, Field(pattern=r"^[1-3]$")]] = Field(default_factory=list)
    beskrivelse: Text | None = Field(None, description="Hva er tjenesten")
    hvem: Text | None = Field(None, description="Hvem kan få den")
    tilgang: list[Access] = Field(default_factory=list, description="Slik får du hjelp")
    tilgang_merknad: Text | None = None
    pris: Text | None = None
    klage: Text | None = None
    hjemmel: list[RefId] = Field(default_factory=list, description="Law references, e.g. hol/3-1")
    kontakt: Contact | None = None
    hjelpetelefon: Id | None = Field(None, description="The national number that reaches this service, e.g. 116117")
    apningstid: Line | None = None
    sted: Line | None = None
    anbefalinger: list[RefId] = Field(default_factory=list)
    verktoy: list[Id] = Field(default_factory=list)
    sist_kontrollert: date | None = None
    kilder: Sources

    @property
    def has_own_contact(self) -> bool:
        """True when a source gives a way to reach the service itself (a number for professionals does not count)."""
        k = self.kontakt
        return bool(self.hjelpetelefon or (k and ((k.telefon and not k.for_fagfolk) or k.epost or k.adresse
                                                  or k.nettside)))


class Responsibility(Record):
    """A duty: what must be done, on which legal basis, by whom, through which services."""

    id: Id
    plikt: Line
    beskrivelse: Text | None = None
    hjemmel: list[RefId] = Field(default_factory=list)
    enheter: list[Id] = Field(default_factory=list)
    tjenester: list[Id] = Field(default_factory=list)
    rutiner: list[RefId] = Field(default_factory=list)
    krav: list[RefId] = Field(default_factory=list)
    kilde: Source


class StatusUpdate(Record):
    """One dated status report on a tiltak."""

    dato: date
    status: TiltakStatus
    kommentar: Text | None = None
    rapportert_av: Line = Field(description="A role, never a person's name")


class Tiltak(Record):
    """One measure in the handlingsplan."""

    id: Id = Field(description="Stable id; never reuse or renumber")
    nummer: Line | None = Field(None, description="The number the plan gives it, if any")
    tekst: Text
    ansvarlig: Line | None = Field(None, description="Owner exactly as the plan writes it")
    ansvarlige_enheter: list[Id] = Field(default_factory=list)
    frist: Line | None = Field(None, description="Deadline exactly as written")
    frist_ar: int | None = Field(None, ge=1990, le=2100, description="Year read from the deadline")
    okonomi: Text | None = Field(None, description="Economic consequences exactly as written")
    okonomi_nok: int | None = Field(None, ge=0)
    forankring: Line | None = Field(None, description="Planmessig forankring, as written")
    kapittel_ref: Line | None = Field(None, description="Chapter reference as the plan writes it")
    kapittel: RefId | None = Field(None, description="The plan chapter it really refers to")
    utledet: list[Literal["ansvarlig", "frist", "forankring", "okonomi"]] = Field(
        default_factory=list, description="Fields filled from a merged table cell (inferred)"
    )
    usikkerhet: Text | None = Field(None, description="Where the source leaves doubt")
    mal: list[Id] = Field(default_factory=list, description="Other goals it answers (ids of goals in kapittelmal)")
    tjenester: list[Id] = Field(default_factory=list)
    anbefalinger: list[RefId] = Field(default_factory=list)
    hovedforlop: list[Annotated[str, Field(pattern=r"^[1-3]$")]] = Field(default_factory=list)
    status: list[StatusUpdate] = Field(default_factory=list, description="Status history, oldest first")
    kilde: Source

    @model_validator(mode="after")
    def _derive(self) -> Tiltak:
        if self.frist_ar is None and self.frist:
            years = re.findall(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)", self.frist)
            if years:
                self.frist_ar = int(years[-1])
        if self.okonomi_nok is None and self.okonomi:
            amount = re.fullmatch(r"\s*(?:kr\.?|nok)\s*([\d  .]+?)[,.-]*\s*", self.okonomi, re.IGNORECASE)
            if amount:
                self.okonomi_nok = int(re.sub(r"\D", "", amount.group(1)))
        return self

    @property
    def current_status(self) -> str:
        """The latest reported status, or 'ikke_rapportert'."""
        return self.status[-1].status if self.status else "ikke_rapportert"

    def is_overdue(self, today: date) -> bool:
        """Its deadline year has passed and it is neither done nor cancelled."""
        return bool(self.frist_ar and self.frist_ar < today.year and self.current_status not in ("fullfort", "avlyst"))

    @field_validator("status")
    @classmethod
    def _history_in_order(cls, value: list[StatusUpdate]) -> list[StatusUpdate]:
        dates = [u.dato for u in value]
        if dates != sorted(dates):
            raise ValueError("status updates must be listed oldest first")
        return value


class Goal(Record):
    """A goal (mål) in the handlingsplan, with the tiltak under it."""

    id: Id
    nummer: Line | None = None
    tekst: Text
    kapittel: RefId | None = Field(None, description="The plan chapter that states the goal, if not the handlingsplan")
    usikkerhet: Text | None = None
    kilde: Source
    tiltak: list[Tiltak] = Field(default_factory=list)


class Area(Record):
    """An area (innsatsområde) of the handlingsplan."""

    id: Id
    nummer: Line | None = None
    navn: Line
    mal: list[Goal] = Field(default_factory=list)
    tiltak: list[Tiltak] = Field(default_factory=list, description="Tiltak listed without a goal (as in Sel's plan)")


class EconomyLine(Record):
    """A row of a separate table of economic consequences."""

    id: Id
    tekst: Line
    okonomiske_konsekvenser: Line | None = None
    egenandel: Line | None = None
    iverksettes_fra: Line | None = None
    tiltak: list[Id] = Field(default_factory=list, description="Ids of the tiltak the row costs")
    kilde: Source


class Handlingsplan(Record):
    """The handlingsplan of one kommune (data/kommuner/<id>/handlingsplan.yml)."""

    tittel: Line
    kilde: Source
    merknad: Text | None = None
    omrader: list[Area] = Field(min_length=1)
    kapittelmal: list[Goal] = Field(
        default_factory=list, description="Goals stated in plan chapters that tiltak answer through their 'mal' field"
    )
    okonomitabell: list[EconomyLine] = Field(default_factory=list)


class Value(Record):
    """One value of an indicator series; ``verdi`` is empty where the source lost it."""

    periode: Line
    verdi: float | None = None
    merknad: Line | None = None


class Series(Record):
    """A named series of values, such as 'Flå' or 'Norge'."""

    navn: Line
    verdier: list[Value] = Field(min_length=1)


class Indicator(Record):
    """A statistic with its values (data/kommuner/<id>/indikatorer.yml)."""

    id: Id
    tittel: Line
    enhet: Line = Field(description="Unit of measurement, e.g. 'prosent' or 'per 1000 innbyggere'")
    beskrivelse: Text | None = None
    datakilde: Line | None = Field(None, description="Who produced the figures, as the source says")
    merknad: Text | None = None
    per_1000_innbyggere: bool = Field(False, description=(
        "True for a staffing, user or population figure the source gives per inhabitants, so the comparison of "
        "kommuner shows it per 1000 inhabitants; 'enhet' must then say 'per 1000 innbyggere', 'per 10 000 "
        "innbyggere' or 'prosent av befolkningen'"))
    serier: list[Series] = Field(min_length=1)
    kilde: Source

    @model_validator(mode="after")
    def _per_1000_needs_a_known_unit(self) -> Indicator:
        if self.per_1000_innbyggere and per_1000_factor(self.enhet) is None:
            raise ValueError(f"per_1000_innbyggere needs 'enhet' to say 'per 1000 innbyggere', 'per 10 000 "
                             f"innbyggere' or 'prosent av befolkningen', not {self.enhet!r}")
        return self


def per_1000_factor(enhet: str) -> float | None:
    """What a value in the unit ``enhet`` is multiplied by to give it per 1000 inhabitants, if the unit says."""
    unit = enhet.lower().replace("\u00a0", " ")
    if re.search(r"\bper 1000 innbyggere\b", unit):
        return 1.0
    if re.search(r"\bper 10 ?000 innbyggere\b", unit):
        return 0.1
    if unit.startswith("prosent av befolkningen"):
        return 10.0
    return None


# --- Markdown pages with front matter -------------------------------------------------------


class ChapterMeta(Record):
    """Front matter of a plan chapter page (docs/kommuner/<id>/plan/*.md)."""

    type: Literal["kapittel"]
    kommune: Id
    kapittel: Annotated[str, Field(pattern=r"^[0-9IVX][0-9IVX.]*[a-z]?$|^vedlegg-?[0-9]*$")]
    tittel: Line
    kilde: Source
    description: Line | None = None


class RoutineMeta(Record):
    """Front matter of a routine page (docs/rutiner/*.md)."""

    type: Literal["rutine"]
    id: Id
    tittel: Line
    hensikt: Text
    omfang: Text
    ansvar: list[RefId] = Field(default_factory=list, description="Units or roles as kommune/unit-id")
    eier: Line | None = Field(None, description="The role that owns the routine; only where a source or the kommune "
                              "has decided it")
    hjemmel: list[RefId] = Field(default_factory=list)
    verktoy: list[Id] = Field(default_factory=list)
    tjenester: list[RefId] = Field(default_factory=list, description="Services as kommune/service-id")
    krav: list[RefId] = Field(default_factory=list)
    gjelder_for: list[Id] = Field(default_factory=list, description="Kommune ids; empty means all")
    sist_revidert: date | None = Field(None, description="Only a date the kommune has set, never an example")
    neste_revisjon: date | None = Field(None, description="Only a date the kommune has set, never an example")
    kilder: Sources
    description: Line | None = None


class PageMeta(Record):
    """Front matter of an ordinary hand-written page: only the keys MkDocs and Material read."""

    title: Line | None = None
    description: Line | None = None
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = Field(default_factory=list)
    template: Line | None = None
    search: dict[str, Any] | None = None
