"""Which writing system a language reads: eSpeak NG spells out letters of another script by name ("Chinese
letter" for every Chinese character in English), so two keywords in the wrong script sound the same."""

import unicodedata
from collections.abc import Iterable, Sequence

from tinymlkit.errors import TinyMLError

# eSpeak NG languages (by the code before the first '-') that read a script other than Latin. Latin letters
# are accepted everywhere (loan words); every other language reads Latin only.
LANGUAGE_SCRIPTS: dict[str, set[str]] = {
    "cmn": {"HAN"},
    "yue": {"HAN"},
    "hak": {"HAN"},
    "ja": {"HAN", "KANA"},
    "ko": {"HANGUL"},
    "ru": {"CYRILLIC"},
    "uk": {"CYRILLIC"},
    "be": {"CYRILLIC"},
    "bg": {"CYRILLIC"},
    "mk": {"CYRILLIC"},
    "sr": {"CYRILLIC"},
    "ba": {"CYRILLIC"},
    "cv": {"CYRILLIC"},
    "tt": {"CYRILLIC"},
    "ky": {"CYRILLIC"},
    "kk": {"CYRILLIC"},
    "mn": {"CYRILLIC"},
    "el": {"GREEK"},
    "grc": {"GREEK"},
    "ar": {"ARABIC"},
    "fa": {"ARABIC"},
    "ur": {"ARABIC"},
    "sd": {"ARABIC"},
    "ug": {"ARABIC"},
    "he": {"HEBREW"},
    "hi": {"DEVANAGARI"},
    "mr": {"DEVANAGARI"},
    "ne": {"DEVANAGARI"},
    "kok": {"DEVANAGARI"},
    "bn": {"BENGALI"},
    "as": {"BENGALI"},
    "bpy": {"BENGALI"},
    "pa": {"GURMUKHI"},
    "gu": {"GUJARATI"},
    "or": {"ORIYA"},
    "ta": {"TAMIL"},
    "te": {"TELUGU"},
    "kn": {"KANNADA"},
    "ml": {"MALAYALAM"},
    "si": {"SINHALA"},
    "my": {"MYANMAR"},
    "ka": {"GEORGIAN"},
    "hy": {"ARMENIAN"},
    "am": {"ETHIOPIC"},
    "chr": {"CHEROKEE"},
    "th": {"THAI"},
}
_ALIASES = {"CJK": "HAN", "HIRAGANA": "KANA", "KATAKANA": "KANA", "HANGUL": "HANGUL"}


def script_of(char: str) -> str | None:
    """The script of a letter (``LATIN``, ``CYRILLIC``, ``HAN``...), None for marks, digits and punctuation."""
    if not unicodedata.category(char).startswith("L"):
        return None
    first = unicodedata.name(char, "UNKNOWN").split()[0]
    return _ALIASES.get(first, first)


def scripts_of(lang: str) -> set[str]:
    """The scripts eSpeak NG reads for ``lang``."""
    return LANGUAGE_SCRIPTS.get(lang.split("-")[0].lower(), set()) | {"LATIN"}


def check_script(words: Sequence[str], lang: str, languages: Iterable[str] = ()) -> None:
    """Refuse keywords written in a script ``lang`` does not read, naming languages that do read it."""
    allowed = scripts_of(lang)
    for word in words:
        foreign = sorted({s for s in map(script_of, word) if s is not None and s not in allowed})
        if foreign:
            able = [x for x in languages if set(foreign) <= scripts_of(x)]
            hint = f"use --lang {', '.join(able[:8])}" if able else "write the word in the language's own letters"
            raise TinyMLError(
                f"keyword '{word}' is written in {foreign[0].title()} letters, which eSpeak does not "
                f"read in '{lang}' (it would spell them out); {hint}"
            )
