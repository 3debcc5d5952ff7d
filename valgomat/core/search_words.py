"""Which words to search a program for: those of an editor's query, or a statement's key
words, without the small words every text has.

The stop lists are short on purpose: function words, and the words every statement
of a local quiz uses ("the municipality should"), which would find every passage.
A language without a list (or an unknown one) keeps all its words.
"""

from __future__ import annotations

import re

MAX_QUERY_WORDS = 10
KEY_WORDS = 6

_WORD = re.compile(r"\w+")


def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "nb": _listed("""
        og i på til av for med som er det den de en et ei at å ikke om har skal vil bør
        kan må blir bli ble være var fra ved mot mer mest flere enn eller men så også
        seg sin sitt sine vi du jeg han hun dem oss deres våre vår vårt alle hver noen
        dette disse der her når hvor hva hvem hvilke slik etter over under inn ut opp
        mellom uten gjennom både bare nye ny nytt kommunen kommune kommunens
    """),
    "sv": _listed("""
        och i på till av för med som är det den de en ett att inte om har ska skall vill
        bör kan måste blir bli blev vara var från vid mot mer mest fler än eller men så
        också sig sin sitt sina vi du jag han hon dem oss deras våra vår vårt alla varje
        några detta dessa där här när var vad vem vilka efter över under in ut upp mellan
        utan genom både bara nya ny nytt kommunen kommun kommunens
    """),
    "da": _listed("""
        og i på til af for med som er det den de en et at ikke om har skal vil bør kan må
        bliver blive blev være var fra ved mod mere mest flere end eller men så også sig
        sin sit sine vi du jeg han hun dem os deres vores alle hver nogle dette disse der
        her når hvor hvad hvem hvilke efter over under ind ud op mellem uden gennem både
        kun nye ny nyt kommunen kommune kommunens
    """),
    "en": _listed("""
        the a an and or of in on at to for with as is are be been was were it its that
        this these those not no should must shall will would can could may more most
        than but so also by from into over under about all each every some any we you
        they he she them our their there here when where what who which new municipality
        municipal council local town city
    """),
    "de": _listed("""
        der die das den dem des ein eine einen einem einer eines und oder in im auf an
        am zu zum zur für mit als ist sind sein war waren es nicht kein keine soll sollte
        sollen muss müssen wird werden kann können mehr als aber so auch von vom aus bei
        über unter alle jede jeder jedes wir sie ihr unsere ihre dort hier wenn wo was
        wer welche neue neuen gemeinde kommune stadt
    """),
}
STOP_WORDS["nn"] = STOP_WORDS["no"] = STOP_WORDS["nb"]


def words_of(text: str) -> list[str]:
    """The words of ``text``, case-folded, each once, in order."""
    return list(dict.fromkeys(match.group().casefold() for match in _WORD.finditer(text)))


def query_words(query: str, language: str) -> list[str]:
    """The words of an editor's query worth searching for: no stop words of the
    program's ``language``, no single letters; the first ``MAX_QUERY_WORDS``."""
    stop = STOP_WORDS.get(language, frozenset())
    return [word for word in words_of(query)
            if len(word) > 1 and word not in stop][:MAX_QUERY_WORDS]


def key_words(statement: str, language: str, limit: int = KEY_WORDS) -> list[str]:
    """A statement's key words to find its evidence with: no stop words or numbers,
    the longest (usually the most specific) first."""
    stop = STOP_WORDS.get(language, frozenset())
    kept = [word for word in words_of(statement)
            if len(word) > 2 and not word.isdigit() and word not in stop]
    return sorted(kept, key=len, reverse=True)[:limit]
