"""Text made speakable by espeak-ng: numbers, times, rooms and codes in words, Han as pinyin.

espeak-ng 1.51's ``cmn`` voice reads Han characters as English words, so Chinese goes to the
``cmn-latn-pinyin`` voice as pinyin with tone numbers (5 is the neutral tone: a syllable with no
digit is read in the first tone). Before that, digits become words the way a person reads them
in the hall:

- a room is read digit by digit (after 单元, or before 室/房): 3栋2单元501 → 三栋二单元五零一;
  buildings, units and floors are numbers: 12栋 → 十二栋; a year too is digits: 2025年;
- free text "HH:MM" is a clock time (19:05 → 十九点零五分), unless a duration word comes just
  before it (还剩0:30 → 还剩三十秒); callers with a number of seconds use ``duration_words``;
- 66.7% → 百分之六十六点七, 2/3 → 三分之二, 3.5 → 三点五;
- 2 before a measure word is 两 (两分钟, 两位, 两票), elsewhere 二 (第二, 二号, 二栋);
- codes (receipts, phone tails, a token mixing letters and digits) are spelt one sign at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from meeting_room.domain.pinyin import load_pypinyin

VOICE_MANDARIN = "cmn-latn-pinyin"
VOICE_ENGLISH = "en"

DIGITS = "零一二三四五六七八九"
NUMERALS = frozenset(DIGITS + "两十百千万亿")
# Words after which 2 is 两: counting things and spans of time (not 号, 月, 栋, 楼, 层: names).
MEASURE_WORDS = (
    "分钟|小时|秒|分|点|天|周|年|岁|倍|个|位|人|名|次|"
    + "票|项|条|户|张|份|件|本|台|辆|间|套|遍|轮|块|元"
)
DURATION_CUES = "还剩|剩余|剩下|用时|时长|限时|倒计时"
CODE_CUES = "回执码|验证码|尾号|编号|号码|电话|手机号"
PAUSES = str.maketrans(
    {"；": ";", "：": ":", "。": ".", "…": ".", "！": "!", "？": "?", "’": "'"}
    | dict.fromkeys("，、—～()[]{}<>《》【】「」", ",")
    | dict.fromkeys('“”‘"『』')
)


def digits(number: str) -> str:
    """Each digit as its word: "501" → 五零一."""
    return "".join(DIGITS[int(d)] for d in number)


def cardinal(n: int) -> str:
    """``n`` as a Chinese number: 10 → 十, 1005 → 一千零五, 120000 → 十二万; ≥ 10¹² as digits."""
    if n == 0:
        return "零"
    if n >= 10**12:
        return digits(str(n))
    words, gap = "", False
    for value, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            gap = bool(words)
            continue
        if words and (gap or value < 1000):
            words += "零"
        words += _below_10000(value) + unit
        gap = False
    return "十" + words[2:] if words.startswith("一十") else words


def _below_10000(n: int) -> str:
    words, gap = "", False
    for digit, unit in zip(f"{n:04d}", ("千", "百", "十", ""), strict=True):
        if digit == "0":
            gap = bool(words)
            continue
        words += ("零" if gap else "") + DIGITS[int(digit)] + unit
        gap = False
    return words


def count(n: int) -> str:
    """``n`` before a measure word: 2 → 两, 200 → 两百, 22 → 二十二."""
    words = cardinal(n)
    if words == "二" or (words.startswith("二") and words[1:2] in ("百", "千", "万", "亿")):
        return "两" + words[1:]
    return words


def decimal(number: str) -> str:
    """A number with an optional decimal part: "66.7" → 六十六点七, "0.05" → 零点零五."""
    whole, _, fraction = number.partition(".")
    return cardinal(int(whole)) + ("点" + digits(fraction) if fraction else "")


def duration_words(seconds: int, language: str = "zh") -> str:
    """A span of time: 120 → 两分钟, 90 → 一分三十秒, 30 → 三十秒 (English: "2 minutes")."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative: {seconds}")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if _is_english(language):
        units = ((hours, "hour"), (minutes, "minute"), (secs, "second"))
        said = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in units if n]
        return " ".join(said) or "0 seconds"
    words = count(hours) + "小时" if hours else ""
    if minutes:
        words += count(minutes) + ("分" if secs else "分钟")
    elif hours and secs:
        words += "零"
    if secs or not words:
        words += count(secs) + "秒"
    return words


def clock_words(hour: int, minute: int, second: int = 0) -> str:
    """A time of day: (19, 5) → 十九点零五分, (2, 0) → 两点."""
    words = count(hour) + "点"
    if minute or second:
        words += ("零" if 0 < minute < 10 else "") + cardinal(minute) + "分"
    if second:
        words += ("零" if second < 10 else "") + cardinal(second) + "秒"
    return words


def spell(code: str) -> str:
    """A code read one sign at a time: "K7P2" → "K 七 P 二" (letters by their names)."""
    return " ".join(DIGITS[int(c)] if c.isdigit() else c.upper() for c in code if c.isalnum())


def _time(match: re.Match[str]) -> str:
    cue, first, second = match["cue"] or "", int(match["h"]), int(match["m"])
    third = int(match["s"]) if match["s"] else None
    if cue:
        seconds = (first * 60 + second) * 60 + third if third is not None else first * 60 + second
        return cue + duration_words(seconds)
    if first <= 23 and second <= 59 and (third or 0) <= 59:
        return clock_words(first, second, third or 0)
    return "比".join(cardinal(int(n)) for n in match.group(0).split(":"))  # a score: 12:30


def _integer(match: re.Match[str]) -> str:
    number = match["n"]
    ordinal = match.string[match.start() - 1 : match.start()] == "第"
    if len(number) >= 11 or (len(number) > 1 and number.startswith("0")):
        return digits(number)  # phone numbers, ids, 0501
    return count(int(number)) if match["measure"] and not ordinal else cardinal(int(number))


_LETTERS_AND_DIGITS = r"(?=[A-Za-z0-9]*[A-Za-z])(?=[A-Za-z0-9]*[0-9])[A-Za-z0-9]+"
# Applied in order; each turns its digits into Han, so later rules no longer see them.
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern), rule)
    for pattern, rule in (
        (r"(?<=\d),(?=\d{3}(?!\d))", lambda m: ""),  # 12,000
        (rf"(?P<cue>{CODE_CUES})(?P<sep>[:：是为\s]*)(?P<code>[A-Za-z0-9]+)",
         lambda m: m["cue"] + m["sep"] + " " + spell(m["code"]) + " "),
        (rf"(?<![\d:])(?P<cue>(?:{DURATION_CUES})\s*)?(?P<h>\d{{1,2}}):(?P<m>\d{{2}})"
         r"(?::(?P<s>\d{2}))?(?![\d:])", _time),
        (r"(\d+(?:\.\d+)?)%", lambda m: "百分之" + decimal(m[1])),
        (r"(\d+)[/⁄](\d+)", lambda m: cardinal(int(m[2])) + "分之" + cardinal(int(m[1]))),
        (r"(?<=\d)-(?=\d)", lambda m: "杠"),  # 3-2-501
        (r"(?<=单元)\d+|(?<=[栋幢座])\d{3,}|(?<=\d杠)\d{3,}|\d+(?=号?房|室)|\d{4}(?=年)",
         lambda m: digits(m[0])),
        (rf"(?<![A-Za-z0-9]){_LETTERS_AND_DIGITS}(?![A-Za-z0-9])", lambda m: f" {spell(m[0])} "),
        (r"\d+\.\d+", lambda m: decimal(m[0])),
        (rf"(?P<n>\d+)(?=(?P<measure>{MEASURE_WORDS})?)", _integer),
    )
)  # fmt: skip


def normalize(text: str) -> str:
    """Chinese text with its numbers, times, rooms and codes written as they are read."""
    text = unicodedata.normalize("NFKC", text.replace("㎡", "平方米").replace("m²", "平方米"))
    for pattern, rule in _RULES:
        text = pattern.sub(rule, text)
    return text


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def to_pinyin(text: str) -> str:
    """Han as pinyin with tone numbers, punctuation as espeak's pauses, Latin words kept."""
    words: list[str] = []
    position = 0
    for run in _HAN.finditer(text):
        words.append(_other(text[position : run.start()]))
        words += _syllables(run.group(0))
        position = run.end()
    words.append(_other(text[position:]))
    return _tidy(" ".join(w for w in words if w))


def _syllables(han: str) -> list[str]:
    load_pypinyin()  # here, not with the app: its dictionaries take ~30 MB
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    han = "".join(c for c in han if ord(c) in pinyin_dict)  # one syllable a character left
    syllables = lazy_pinyin(han, style=Style.TONE3, neutral_tone_with_five=True)
    # pypinyin reads 一 by its sandhi (十一点 as shí yì diǎn); after a numeral it is yī.
    for i, char in enumerate(han):
        if char == "一" and i and han[i - 1] in NUMERALS:
            syllables[i] = "yi1"
    return syllables


def _other(text: str) -> str:
    return " ".join(text.translate(PAUSES).split())


def _tidy(text: str) -> str:
    """One space between words, none before a pause, the last pause where several meet."""
    text = re.sub(r"\s*(?:[,.;:!?]\s*)*([,.;:!?])\s*", r"\1 ", text)
    return text.lstrip(",.;:!? ").strip()


def speakable(text: str, language: str) -> tuple[str, str]:
    """(the text to give espeak-ng, the voice to read it with) for ``language`` ("zh" or "en")."""
    if _is_english(language):
        english = unicodedata.normalize("NFKC", text)
        english = _HAN.sub(lambda m: " " + _names(m.group(0)) + " ", english)
        return _tidy(_other(english)), VOICE_ENGLISH
    if not language.lower().startswith("zh"):
        raise ValueError(f"no voice for language {language!r}; choose zh or en")
    return to_pinyin(normalize(text)), VOICE_MANDARIN


def _names(han: str) -> str:
    """Han in an English sentence (a name) as plain pinyin: 王静 → "Wang Jing"."""
    load_pypinyin()
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(han, style=Style.NORMAL, v_to_u=True, errors="ignore")
    return " ".join(s.replace("ü", "u").capitalize() for s in syllables)


def _is_english(language: str) -> bool:
    return language.lower().replace("_", "-").split("-")[0] == "en"
