"""Making text speakable: numbers, times, rooms and codes in words; Han as toned pinyin."""

from __future__ import annotations

import re

import pytest

from devices.speech_text import (
    VOICE_ENGLISH,
    VOICE_MANDARIN,
    cardinal,
    clock_words,
    count,
    duration_words,
    normalize,
    speakable,
    spell,
    to_pinyin,
)

# Numbers


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "零"),
        (2, "二"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1005, "一千零五"),
        (1050, "一千零五十"),
        (10010, "一万零一十"),
        (100000, "十万"),
        (120000, "十二万"),
        (1000001, "一百万零一"),
        (100010000, "一亿零一万"),
        (100000001, "一亿零一"),
        (999999999999, "九千九百九十九亿九千九百九十九万九千九百九十九"),
        (10**12, "一零零零零零零零零零零零零"),
    ],
)
def test_cardinal_numbers_place_zeros_and_drop_the_leading_one_of_ten(n: int, words: str) -> None:
    assert cardinal(n) == words


@pytest.mark.parametrize(
    ("n", "words"), [(2, "两"), (12, "十二"), (22, "二十二"), (200, "两百"), (2200, "两千二百")]
)
def test_a_count_says_two_as_liang_only_when_it_leads(n: int, words: str) -> None:
    assert count(n) == words


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("3栋2单元501", "三栋二单元五零一"),
        ("12栋", "十二栋"),
        ("5栋2单元1203室", "五栋二单元一二零三室"),
        ("10栋1101", "十栋一一零一"),
        ("3-2-501", "三杠二杠五零一"),
        ("2楼", "二楼"),
        ("2025年6月14日", "二零二五年六月十四日"),
    ],
)
def test_addresses_read_rooms_digit_by_digit_and_buildings_as_numbers(
    text: str, spoken: str
) -> None:
    assert normalize(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("发言2分钟", "发言两分钟"),
        ("2位", "两位"),
        ("2人", "两人"),
        ("2次", "两次"),
        ("2票", "两票"),
        ("200人", "两百人"),
        ("第2次", "第二次"),
        ("2号", "二号"),
        ("2", "二"),
        ("12人", "十二人"),
        ("22票", "二十二票"),
    ],
)
def test_two_is_liang_before_a_measure_word_and_er_elsewhere(text: str, spoken: str) -> None:
    assert normalize(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("66.7%", "百分之六十六点七"),
        ("50%", "百分之五十"),
        ("100%", "百分之一百"),
        ("0.5%", "百分之零点五"),
        ("２／３", "三分之二"),
        ("超过1/2", "超过二分之一"),
        ("3.5平方米", "三点五平方米"),
        ("88.05㎡", "八十八点零五平方米"),
        ("12,000元", "一万二千元"),
    ],
)
def test_percentages_fractions_and_decimals(text: str, spoken: str) -> None:
    assert normalize(text) == spoken


# Times and durations


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "零秒"),
        (2, "两秒"),
        (30, "三十秒"),
        (59, "五十九秒"),
        (60, "一分钟"),
        (90, "一分三十秒"),
        (120, "两分钟"),
        (150, "两分三十秒"),
        (3600, "一小时"),
        (3630, "一小时零三十秒"),
        (7322, "两小时两分两秒"),
    ],
)
def test_durations_in_chinese(seconds: int, words: str) -> None:
    assert duration_words(seconds) == words


def test_durations_in_english_and_no_negative_durations() -> None:
    assert [duration_words(s, "en") for s in (0, 1, 90, 120)] == [
        "0 seconds",
        "1 second",
        "1 minute 30 seconds",
        "2 minutes",
    ]
    with pytest.raises(ValueError, match="negative"):
        duration_words(-1)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("19:05开始", "十九点零五分开始"),
        ("19:00开始", "十九点开始"),
        ("2:00", "两点"),
        ("0:30", "零点三十分"),  # free text HH:MM is a clock time…
        ("还剩0:30", "还剩三十秒"),  # …unless a duration word comes just before it
        ("还剩 2:00", "还剩 两分钟"),
        ("剩余1:30", "剩余一分三十秒"),
        ("用时1:02:03", "用时一小时两分三秒"),
        ("23:59", "二十三点五十九分"),
        ("24:00", "二十四比零"),  # not a time of day: a score
        ("比分12:75", "比分十二比七十五"),
    ],
)
def test_clock_times_durations_after_a_cue_and_scores(text: str, spoken: str) -> None:
    assert normalize(text) == spoken


def test_clock_words() -> None:
    assert clock_words(19, 5) == "十九点零五分"
    assert clock_words(14, 30) == "十四点三十分"
    assert clock_words(8, 0, 9) == "八点零分零九秒"


# Codes


def test_codes_are_spelt_one_sign_at_a_time() -> None:
    assert spell("K7P2QX4M") == "K 七 P 二 Q X 四 M"
    assert normalize("回执码K7P2QX4M") == "回执码 K 七 P 二 Q X 四 M "
    # A receipt of letters only is spelt too when it follows its name…
    assert normalize("回执码：KMNPQRST") == "回执码: K M N P Q R S T "
    # …and so is any token mixing letters and digits.
    assert normalize("请记下 7HQ2 号") == "请记下  七 H Q 二  号"
    assert normalize("手机尾号0123") == "手机尾号 零 一 二 三 "
    assert normalize("电话13812345678") == "电话 一 三 八 一 二 三 四 五 六 七 八 "
    assert normalize("13812345678") == "一三八一二三四五六七八"  # 11 digits: a phone
    assert normalize("编号0501") == "编号 零 五 零 一 "


# Pinyin for espeak-ng


def test_han_becomes_pinyin_with_tone_numbers_and_punctuation_becomes_pauses() -> None:
    assert speakable("王静，签到成功", "zh") == (
        "wang2 jing4, qian1 dao4 cheng2 gong1",
        VOICE_MANDARIN,
    )
    assert speakable("3栋2单元501", "zh")[0] == "san1 dong4 er4 dan1 yuan2 wu3 ling2 yi1"


def test_neutral_tone_is_five_and_u_umlaut_is_v() -> None:
    # espeak-ng reads a syllable without a digit in the first tone, and "lu:" as "lu" + "s".
    assert to_pinyin("我们的") == "wo3 men5 de5"
    assert to_pinyin("绿色") == "lv4 se4"


def test_yi_after_a_numeral_is_first_tone() -> None:
    assert to_pinyin("十一点") == "shi2 yi1 dian3"
    assert to_pinyin("五零一") == "wu3 ling2 yi1"


def test_polyphones_follow_the_word() -> None:
    assert to_pinyin("银行行长") == "yin2 hang2 hang2 zhang3"
    assert to_pinyin("重新开始") == "chong2 xin1 kai1 shi3"


def test_mixed_chinese_and_latin_keeps_latin_words() -> None:
    assert speakable("Wi-Fi密码是yishi2025", "zh")[0] == (
        "Wi-Fi mi4 ma3 shi4 Y I S H I er4 ling2 er4 wu3"  # a password is spelt
    )
    assert speakable("请按OK键", "zh")[0] == "qing3 an4 OK jian4"


def test_quotes_vanish_and_runs_of_punctuation_become_one_pause() -> None:
    assert speakable("“赞成”、（反对）。", "zh")[0] == "zan4 cheng2, fan3 dui4."
    assert speakable("好！！！", "zh")[0] == "hao3!"
    assert speakable("，开始", "zh")[0] == "kai1 shi3"


def test_speakable_mandarin_has_no_han_and_no_digits_left_outside_tones() -> None:
    spoken, _ = speakable("第2位发言人张三，发言时间2分钟，19:05开始，赞成66.7%", "zh")
    assert not re.search(r"[^\x00-\x7f]", spoken)
    assert re.fullmatch(r"([a-z]+[1-5]|[,.]| )+", spoken), spoken


def test_a_character_pypinyin_cannot_read_is_left_out() -> None:
    # 𠮷 (U+20BB7) has no reading in pypinyin; given raw to espeak it would say nothing useful.
    assert speakable("𠮷祥", "zh")[0] == "xiang2"


def test_empty_and_blank_text_say_nothing() -> None:
    assert speakable("", "zh") == ("", VOICE_MANDARIN)
    assert speakable(" ，。 ", "zh") == ("", VOICE_MANDARIN)
    assert speakable("", "en") == ("", VOICE_ENGLISH)


def test_english_keeps_numbers_for_espeak_and_reads_han_names_as_pinyin() -> None:
    assert speakable("王静, signed in. Don’t leave “now”; 2 minutes left", "en_US") == (
        "Wang Jing, signed in. Don't leave now; 2 minutes left",
        VOICE_ENGLISH,
    )
    assert speakable("Poll 3 passed", "en")[1] == VOICE_ENGLISH


def test_languages_are_zh_or_en_in_any_spelling() -> None:
    assert speakable("好", "zh_CN")[1] == VOICE_MANDARIN
    assert speakable("好", "zh-Hans-CN")[1] == VOICE_MANDARIN
    assert speakable("ok", "EN")[1] == VOICE_ENGLISH
    with pytest.raises(ValueError, match="'fr'"):
        speakable("bonjour", "fr")
