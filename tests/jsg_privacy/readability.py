"""How plain a page reads, for the notice's tests: Flesch reading ease and internal terms.

Flesch reading ease (Flesch 1948) is ``206.835 - 1.015 * words / sentences - 84.6 * syllables /
words``: 60-70 reads as plain English, higher is easier. Syllables are counted the usual way
without a dictionary: groups of vowels (y included) in a word, less a silent final "e" (and the
"e" of a final "-es" or "-ed" after a consonant other than "l"), at least one per word. On plain
English this lands within a few points of dictionary counts. (textstat now needs an NLTK corpus
downloaded at run time, which tests must not do.)
"""

from __future__ import annotations

import html
import re

VOWEL_GROUPS = re.compile(r"[aeiouy]+")
SILENT_ENDING = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'@.-]*")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")

#: Words from the code and the law's machinery that a customer should not meet in the notice.
INTERNAL_TERMS = (
    "subject key",
    "minor units",
    "erasure_hook",
    "e-mail key",
    "the subject",
    "subject's",
    "expire date",
    "record id",
    "session data",
    "created at",
    "processing is restricted",
)
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
COUNTRY_CODE = re.compile(r"\((?:[A-Z]{2})\)")


def syllables(word: str) -> int:
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return 0
    if len(letters) <= 3:
        return 1
    letters = SILENT_ENDING.sub(lambda m: m.group(0)[0], letters)
    letters = re.sub(r"^y", "", letters)
    return max(1, len(VOWEL_GROUPS.findall(letters)))


def flesch_reading_ease(text: str) -> float:
    sentences = [s for s in SENTENCE_END.split(text) if re.search(r"[A-Za-z]", s)]
    words = WORD.findall(text)
    if not sentences or not words:
        raise ValueError("No text to measure.")
    syllable_count = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * len(words) / len(sentences) - 84.6 * syllable_count / len(words)


def text_of(fragment: str, *, drop_code: bool = False) -> str:
    """The words of an HTML fragment as a reader meets them; each list item and heading ends a
    sentence. ``drop_code``: leave out ``<code>`` (cookie names, version hashes)."""
    if drop_code:
        fragment = re.sub(r"<code\b.*?</code>", " ", fragment, flags=re.S)
    fragment = re.sub(r"</(?:li|h\d|dt|dd|p|th|td)>", ". ", fragment)
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    text = re.sub(r"\.\s*\.", ".", text)
    return " ".join(text.split())


def internal_terms(text: str) -> list[str]:
    """Internal terms found in ``text``: the listed ones, snake_case names and bare country codes."""
    lowered = text.lower()
    found = [term for term in INTERNAL_TERMS if term in lowered]
    found += SNAKE_CASE.findall(text)
    found += COUNTRY_CODE.findall(text)
    return found
