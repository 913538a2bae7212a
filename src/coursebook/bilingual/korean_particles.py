"""A Korean particle that agrees with the word before it, even when that word is a glued value.

A Korean particle depends on the last sound of the word it follows: 0.0813으로 (삼 ends in a
consonant) but 0.1657로 (칠 ends in ㄹ), 0.1011이 but 1.9624가. A chapter's text is written before
its glued numbers are known, so the particle is written as a pair and chosen at build time::

    손실은 {glue:text}`loss`{josa}`으로/로` 내려갑니다.

The role reads the text just before it (in the built page, after the glued value is filled in),
reads a number aloud by Korean rules (sino-Korean numerals, decimals digit by digit) or takes the
last Hangul syllable, and keeps the form that fits: the first of the pair after a final consonant,
the second after a vowel (으로/로 takes 로 after ㄹ as well). Either order of the pair is accepted.
``chosen_particle`` is the pure function; the notebooks export uses it too.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from coursebook.bilingual.text import HANGUL_SYLLABLE

logger = logging.getLogger(__name__)

DIGITS = "영일이삼사오육칠팔구"
SMALL_UNITS = {1: "십", 2: "백", 3: "천"}  # 10, 100, 1000 within a group of four digits
GROUP_UNITS = ["", "만", "억", "조", "경"]  # 10^4, 10^8, 10^12, 10^16
# Pairs whose two forms are not "이"/"으" + the other one.
IRREGULAR_PAIRS = {("이", "가"), ("을", "를"), ("은", "는"), ("과", "와"), ("아", "야"), ("이었", "였"), ("이어", "여"), ("이에요", "예요")}
NUMBER_AT_END = re.compile(r"[-−+]?(?:\d[\d,]*)?(?:\.\d+)?%?$")
# The particles a Korean word carries, the copula 이다 among them: the one list. The spacing check
# flags one set apart from a number or a code name; the search takes one off the end of a query's word.
PARTICLES = tuple(
    """
    은 는 이 가 을 를 의 에 와 과 도 로 만 나 랑
    으로 에서 에게 한테 까지 부터 보다 처럼 마다 조차 마저 이나 이란 이며 이고 에는 에도 와는 과는 과의 와의
    로서 로써 로는 라는 라고 이든 이랑 께서 에서는 에게서 으로서 으로써 으로는 이라는 이라고 까지는 부터는 에서도 이나마
    이다 입니다 이에요 예요 이었다
""".split()
)


def number_reading(number: str) -> str:
    """How ``number`` is read aloud in sino-Korean, e.g. "-0.05" → "마이너스 영 점 영오", "120000" → "십이만"."""
    text = number.strip().replace(",", "").replace("−", "-")
    sign = ""
    if text[:1] in "+-":
        sign, text = ("마이너스 " if text[0] == "-" else "플러스 "), text[1:]
    percent = text.endswith("%")
    text = text.rstrip("%")
    whole, dot, fraction = text.partition(".")
    if not re.fullmatch(r"\d*", whole) or not re.fullmatch(r"\d*", fraction) or not (whole or fraction):
        raise ValueError(f"{number!r} is not a number written in digits")
    reading = _integer_reading(int(whole or "0"))
    if dot:
        reading += " 점 " + "".join(DIGITS[int(digit)] for digit in fraction)
    return sign + reading + (" 퍼센트" if percent else "")


def _integer_reading(value: int) -> str:
    if value == 0:
        return "영"
    groups = []
    for unit in GROUP_UNITS:
        value, group = divmod(value, 10000)
        if group:
            groups.append(_group_reading(group) + unit)
        if not value:
            break
    else:
        raise ValueError("a number of 10^20 or more has no Korean reading here")
    return " ".join(reversed(groups))


def _group_reading(group: int) -> str:
    """1..9999 read aloud: 1 is left unsaid before 십, 백 and 천 (십, not 일십)."""
    words = []
    for power in (3, 2, 1, 0):
        digit = group // 10**power % 10
        if digit:
            words.append(("" if digit == 1 and power else DIGITS[digit]) + SMALL_UNITS.get(power, ""))
    return "".join(words)


def final_consonant(syllable: str) -> int:
    """The final consonant (batchim) index of a Hangul syllable: 0 none, 8 ㄹ, other values another consonant."""
    code = ord(syllable) - 0xAC00
    if not 0 <= code <= 11171:
        raise ValueError(f"{syllable!r} is not a Hangul syllable")
    return code % 28


def chosen_particle(before: str, pair: str) -> str:
    """The form of ``pair`` ("으로/로", "이/가", "을/를", ...) that follows the text ``before``.

    Raises ValueError, saying why, when the pair is not a Korean particle pair or the end of
    ``before`` is neither a number written in digits nor a Hangul syllable.
    """
    after_consonant, after_vowel = particle_forms(pair)
    word = _word_before(before)
    if not word or word[-1].isspace():
        raise ValueError(f"nothing is written just before {pair!r}: a particle attaches to the word before it")
    number = NUMBER_AT_END.search(word)
    if number and any(ch.isdigit() for ch in number[0]):
        last = number_reading(number[0])[-1]
    elif HANGUL_SYLLABLE.fullmatch(word[-1]):
        last = word[-1]
    else:
        raise ValueError(f"cannot tell how {word[-12:]!r} ends when read aloud, to choose between {pair!r}")
    final = final_consonant(last)
    takes_vowel_form = final == 0 or (final == 8 and after_consonant == "으" + after_vowel)
    return after_vowel if takes_vowel_form else after_consonant


def _word_before(text: str) -> str:
    """The text whose sound the particle follows: after "word(...)" the word outside the parentheses,
    as Korean spelling has it (신경망(0.5)은); closing quotes and brackets are not read."""
    if text.endswith(")"):
        depth = 0
        for k in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[k], 0)
            if depth == 0:
                if text[:k].strip():
                    return _word_before(text[:k])
                break
    return text.rstrip(")]}»”’\"'")


def particle_forms(pair: str) -> tuple[str, str]:
    """(the form after a final consonant, the form after a vowel) of a pair written "A/B" in either order."""
    forms = tuple(form.strip() for form in pair.split("/"))
    if len(forms) == 2:
        for first, second in (forms, forms[::-1]):
            if (first, second) in IRREGULAR_PAIRS or (first[:1] in "이으" and first[1:] == second and second):
                return first, second
    raise ValueError(f"{pair!r} is not a Korean particle pair such as 이/가, 을/를, 은/는, 과/와, 으로/로 or 이었/였")


class particle(nodes.Inline, nodes.TextElement):
    """A particle pair waiting for the text before it to be final (glued values filled in)."""


class ParticleRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            particle_forms(self.text)
        except ValueError as error:
            return [], [self.inliner.reporter.error(str(error), line=self.lineno)]
        node = particle(self.rawtext, "", pair=self.text)
        self.set_source_info(node)
        return [node], []


class ChooseParticles(SphinxPostTransform):
    """Replace each particle pair by the form that fits the text before it in the finished page."""

    default_priority = 900  # after pending glue references from other pages are resolved

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(particle)):
            before = "".join(sibling.astext() for sibling in node.parent.children[: node.parent.index(node)])
            try:
                chosen = chosen_particle(before, node["pair"])
            except ValueError as error:
                logger.warning("%s", error, location=node)
                chosen = node["pair"]
            node.replace_self(nodes.Text(chosen))


def setup(app: Sphinx) -> dict:
    app.add_node(particle)
    app.add_role("josa", ParticleRole())
    app.add_post_transform(ChooseParticles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
