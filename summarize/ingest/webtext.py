"""Generic knowledge about text copied from news web pages, shared by load and clean.

Paragraph rule (``split_paragraphs``): blank lines always separate paragraphs. Inside a block,
single newlines also separate paragraphs (web copy-paste and one-sentence-per-line corpora
put captions, datelines and sentences on their own lines) unless the whole text looks
hard-wrapped (every line short and most lines ending mid-sentence), in which case a block's
lines are joined back into one paragraph.

Furniture patterns are generic web boilerplate (navigation, paywalls, sign-ups, credits...);
they must work on sites never seen, so nothing here names a particular outlet or story.
"""

from __future__ import annotations

import re
from datetime import datetime

_BLANK = re.compile(r"\n[ \t\u00a0]*\n")
_END_PUNCT = tuple(".!?:;,\"”’')…")
_I = re.I
SENT_END = tuple(".!?\"”’'…")
_SHORT = 40  # words: most furniture patterns only fire on short paragraphs

# (reason, pattern, max words, opens a block). Generic web furniture, never event-specific.
_RULES: list[tuple[str, str, int, bool]] = [
    (
        "navigation",
        r"^(skip to (the )?(main )?content|skip navigation|jump to (main )?"
        r"(content|navigation)|toggle navigation|main menu|back to top)\b",
        8,
        False,
    ),
    (
        "reading time",
        r"^(\d+\s*(-\s*)?(min(ute)?s?|hours?)\.?\s*(read|reading)( time)?|"
        r"(estimated )?reading time:?\s*\d+.*)\.?$",
        6,
        False,
    ),
    (
        "date stamp",
        r"^(published|updated|posted|last updated|first published)( on| at)?:?"
        r"\s+\S.*\d",
        12,
        False,
    ),
    (
        "photo credit",
        r"\((photo|image|picture|photograph|foto)s?( credit)?s?\s*(:|by)[^)]*\)"
        r"|^(photo|image|picture|photograph)s?( credit)?s?\s*(:|by\b)|^(photo )?credit\s*:"
        r"|^(getty images|shutterstock)\b",
        _SHORT,
        False,
    ),
    (
        "photo caption",
        # "Photographer Name, Agency | caption": a credit, a pipe, then the caption.
        r"^[a-z][\w.'’-]*( [a-z][\w.'’-]*){0,3}, [a-z][\w.&' /-]{1,30} \| \S",
        80,
        False,
    ),
    (
        "reader appeal",
        r"^dear (valued )?(reader|subscriber|friend|visitor|supporter)s?\b|"
        r"support (our|independent|quality) journalism|\bbe our partner\b|"
        r"\b(become|make) a (member|supporter|contribution)\b",
        150,
        True,
    ),
    (
        "subscription prompt",
        r"\bpaywall\b|\bsubscribe (now|today)\b|already a subscriber|"
        r"\$\s?\d+(\.\d\d)?\s*(a|per|/)\s*(month|year|week)\b|\b\d+\s?\$\s*(a|per)\s*month|"
        r"\b(upgrade|unlock) your\b.*\bexperience\b|show me later|don'?t show (it|this) again|"
        r"reached your (free )?(article )?limit|(log|sign) in to (continue|read)",
        150,
        True,
    ),
    (
        "donation appeal",
        r"^donat(e|ion)|\bdonate (now|today)\b|\bdonation (form|total|amount)"
        r"|^credit card\b|\bcredit card (info|information|details|number)|\b(secure|ssl|encrypted)"
        r"\b.*\bpayment\b|^(personal|billing|payment|card) (info|information|details)$",
        25,
        True,
    ),
    (
        "newsletter sign-up",
        r"\bnewsletters?\b.*\b(sign up|subscribe|inbox)\b|\b(sign up|"
        r"subscribe)\b.*\bnewsletters?\b|(straight|directly|delivered) to your inbox|"
        r"enter your e-?mail",
        60,
        True,
    ),
    (
        "social media prompt",
        r"\b(join|follow|like) (us|our)\b.*\b(facebook|twitter|telegram|"
        r"whatsapp|instagram|youtube|tiktok|linkedin)\b|^share (this|on)\b|\bshare this (article|"
        r"story|post|page)\b|^(facebook|twitter|whatsapp|e-?mail|print|linkedin|reddit|copy link)"
        r"([\s|,/·]+(facebook|twitter|whatsapp|e-?mail|print|linkedin|reddit|copy link))*$",
        25,
        False,
    ),
    (
        "related-content block",
        r"^(related( content| articles?| stories| news| coverage| "
        r"topics)?|read (more|also|next)|also read|more (from|on|stories|news)\b.*|see also|"
        r"you (may|might) (also )?like|recommended( for you)?|most (read|popular|viewed)|"
        r"trending( now)?|editor'?s picks|latest (news|stories)|more in\b.*)\s*:?$",
        8,
        True,
    ),
    ("related link", r"^(read (more|also)|also read|related|see also|watch)\s*:\s*\S", 30, False),
    (
        "page-not-available notice",
        r"\bpage (is )?(not|no longer) (available|found|exist)|"
        r"\bpage no longer exists|\b(error )?404\b.*\bpage\b|use the links below|"
        r"check the (web )?address",
        40,
        True,
    ),
    (
        "cookie or legal notice",
        r"\bwe use cookies\b|\baccept (all )?cookies\b|all rights "
        r"reserved|^(©|copyright\s+(©\s*)?\d{4})|^(privacy policy|terms of (use|service))$",
        40,
        False,
    ),
    ("advertisement", r"^(advertisement|sponsored( content)?|promoted( content)?|ad)$", 3, False),
    (
        "comments",
        r"^(\d+\s+)?comments?$|\b(leave|post|add) a comment\b|comments are closed",
        12,
        False,
    ),
    (
        "agency credit",
        r"^[\w.&' -]{0,40}\b(and|with|&) agencies\.?$|^\(?(additional )?"
        r"(reporting|writing|editing) by\b",
        30,
        False,
    ),
    ("byline", r"^by\s+[A-Z][\w.'’-]*(\s+[A-Z][\w.'’-]*){0,4}(\s*(,|and|\|)\s*\S.*)?$", 10, False),
]
_COMPILED = [(r, re.compile(p, _I), n, b) for r, p, n, b in _RULES]
POSITION_MARKER = re.compile(r"\((?:L|R|C|L-R|R-L|2nd [LR]|left|right|centre|center)\)")

_TIME_WORDS = re.compile(
    r"(?<![a-z])(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?|(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?|"
    r"\d+(st|nd|rd|th)|[ap]\.?\s?m\.?|[ap]|on|at|published|updated|posted|last|first|"
    r"originally|(gmt|utc|e[sd]t|[cmp][sd]t|et|pt|bst|cet|cest|ist)([+-]\d+(:\d+)?)?)(?![a-z])"
)
# Something that makes a line a date, not a score or a count: a clock time, a year, a month.
_DATEISH = re.compile(
    r"\d\s?:\s?\d\d|\b(19|20)\d\d\b|\d{1,2}\s?/\s?\d{1,2}\s?/\s?\d\d|"
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b.*\d",
    re.I,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# A whole line that is only a date (+ optional time/zone): a dateline, never prose.
DATE_LINE = re.compile(
    rf"^\s*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})"
    rf"(?:\s*(?:,|at|-|\|)?\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?:[ap]\.?m\.?)?\s*[A-Z]{{0,4}})?\s*$",
    re.I,
)


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def furniture_reason(text: str) -> str | None:
    """The boilerplate reason a single paragraph matches, or ``None``. Context-free."""
    hit = furniture(text)
    return hit[0] if hit else None


def furniture(text: str) -> tuple[str, bool] | None:
    stripped = text.strip()
    if DATE_LINE.match(stripped) or is_timestamp(stripped):
        return "boilerplate: date stamp", False
    if _HTML_COMMENT.fullmatch(stripped):
        # Page source left in a text file; never article text (and a place to plant
        # instructions for a model).
        return "boilerplate: HTML comment", False
    n_words = len(stripped.split())
    for reason, pattern, max_words, opens_block in _COMPILED:
        if n_words <= max_words and pattern.search(stripped):
            return f"boilerplate: {reason}", opens_block
    return None


def is_timestamp(text: str) -> bool:
    """A short line made only of date/time tokens ("Updated 5:40 p. m. ET", "05 / 02 / 2013")."""
    if len(text.split()) > 12 or not _DATEISH.search(text):
        return False
    rest = _TIME_WORDS.sub(" ", text.lower())
    return not re.search(r"[a-z]", rest)


def split_paragraphs(text: str) -> list[str]:
    """Split text into paragraphs (see module docstring for the rule)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [[ln.strip() for ln in b.split("\n") if ln.strip()] for b in _BLANK.split(text)]
    blocks = [b for b in blocks if b]
    if _hard_wrapped(blocks):
        return [" ".join(b) for b in blocks]
    return [line for block in blocks for line in block]


def _hard_wrapped(blocks: list[list[str]]) -> bool:
    lines = [ln for b in blocks for ln in b]
    inner = [ln for b in blocks for ln in b[:-1]]  # lines followed by another in their block
    if len(inner) < 3 or max(len(ln) for ln in lines) > 100:
        return False
    mid_sentence = sum(1 for ln in inner if not ln.endswith(_END_PUNCT) and len(ln) >= 40)
    return mid_sentence >= 0.6 * len(inner)


def iso_date(value: str | None) -> str | None:
    """ISO ``YYYY-MM-DD`` when the value parses, else the value as given (never invented)."""
    if not value:
        return None
    value = value.strip()
    head = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value.split("T")[0])
    head = re.sub(r"\s*(?:,|at|-|\|)?\s*\d{1,2}:\d{2}.*$", "", head).replace(".", "")
    for fmt in ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(head.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    import dateparser  # deferred: slow first call, only for unusual formats

    parsed = dateparser.parse(value, settings={"STRICT_PARSING": True})
    return parsed.date().isoformat() if parsed else value
