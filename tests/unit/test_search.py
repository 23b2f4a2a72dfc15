"""Finding a member on the roster as a resident types at the kiosk (pure, no fixtures)."""

from __future__ import annotations

from itertools import count

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin, pinyin

from meeting_room.domain.search import Candidate, MemberIndex

_ids = count(1)


def member(
    name: str, building: str = "1栋", unit: str = "1单元", room: str = "101", member_no: str = ""
) -> Candidate:
    """A member of the roster with a fresh id and, unless given, a member number from it."""
    number = next(_ids)
    return Candidate(number, name, building, unit, room, member_no or f"M{number:05d}")


def names(index: MemberIndex, query: str, limit: int = 20) -> list[str]:
    """The names found for ``query``, best first."""
    return [found.name for found in index.search(query, limit)]


ROSTER = MemberIndex(
    [
        member("王静", "3栋", "2单元", "501"),
        member("王俊杰", "1栋", "1单元", "1101"),
        member("王佳琪", "2栋", "1单元", "302"),
        member("杨静", "5栋", "3单元", "702"),
        member("张伟", "10栋", "4单元", "1501"),
        member("欧阳明", "4栋", "1单元", "201"),
        member("司马光", "4栋", "2单元", "202"),
        member("诸葛亮", "6栋", "1单元", "601"),
        member("上官婉儿", "6栋", "2单元", "602"),
        member("吕秀英", "7栋", "1单元", "101"),
    ]
)


def test_namesakes_are_all_returned_and_told_apart_by_address() -> None:
    index = MemberIndex(
        [
            member("王静", "10栋", "1单元", "501"),
            member("王静", "2栋", "1单元", "1101"),
            member("王"),
        ]
    )
    found = index.search("王静")
    assert [(m.name, m.building, m.room) for m in found[:2]] == [
        ("王静", "2栋", "1101"),
        ("王静", "10栋", "501"),
    ]


@pytest.mark.parametrize("query", ["wj", "wangjing", "wangj", "wjing", "wanjin", "wang j"])
def test_initials_full_pinyin_and_their_mixes_find_a_name(query: str) -> None:
    assert names(ROSTER, query)[0] == "王静"


def test_each_syllable_needs_at_least_one_letter_in_order_from_the_first() -> None:
    assert "王静" not in names(ROSTER, "jing")
    assert "王静" not in names(ROSTER, "jw")
    assert names(ROSTER, "wjjx") == []


@pytest.mark.parametrize("query", ["WJ", "WangJing", "wAnGjInG", "ｗｊ"])
def test_case_and_full_width_letters_do_not_matter(query: str) -> None:
    assert names(ROSTER, query)[0] == "王静"


@pytest.mark.parametrize("query", [" w j ", "wang jing", "wang\tjing\n", "wang　jing", "xi'an"])
def test_spaces_and_syllable_marks_are_ignored(query: str) -> None:
    expected = "王静" if query != "xi'an" else "西安"
    index = MemberIndex([member("王静"), member("西安")])
    assert names(index, query) == [expected]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("oym", "欧阳明"),
        ("ouyangming", "欧阳明"),
        ("ouym", "欧阳明"),
        ("smg", "司马光"),
        ("simaguang", "司马光"),
        ("zgl", "诸葛亮"),
        ("sgwe", "上官婉儿"),
        ("shangguanwaner", "上官婉儿"),
    ],
)
def test_compound_surnames_are_read_like_any_other_syllables(query: str, name: str) -> None:
    assert names(ROSTER, query) == [name]


@pytest.mark.parametrize(
    ("name", "readings"),
    [
        ("单田芳", ["shantf", "dantf", "shantianfang", "dantianfang"]),
        ("曾国藩", ["zgf", "cgf", "zengguofan", "cengguofan"]),
        ("解晓东", ["xxd", "jxd", "xiexiaodong"]),
        ("仇英", ["qy", "cy", "qiuying", "chouying"]),
        ("区小英", ["oxy", "qxy", "ouxiaoying"]),
        ("朴志勇", ["pzy", "piaozhiyong", "puzhiyong"]),
        ("查明", ["zm", "cm", "zhaming", "chaming"]),
    ],
)
def test_polyphonic_surnames_answer_to_every_reading(name: str, readings: list[str]) -> None:
    index = MemberIndex([member(name), member("张伟"), member("陈明")])
    for query in readings:
        assert name in names(index, query), query


def test_the_surname_reading_ranks_before_the_everyday_one() -> None:
    index = MemberIndex([member("曾国藩"), member("曾国")])
    assert index.search("zengguofan")[0].name == "曾国藩"
    assert names(MemberIndex([member("单田芳"), member("单田")]), "shantianfang") == ["单田芳"]


def test_everyday_readings_rank_before_rare_ones() -> None:
    # 王 is also read yu; a resident typing "yj" means 杨静 although 王 sorts first by name.
    assert names(ROSTER, "yj")[:2] == ["杨静", "王静"]


@pytest.mark.parametrize("query", ["lv", "lu", "lü", "LÜ", "lvxy", "luxiuying"])
def test_u_umlaut_may_be_typed_as_v_or_u(query: str) -> None:
    assert names(ROSTER, query) == ["吕秀英"]


def test_a_character_outside_the_basic_plane_is_kept_whole_and_found_by_itself() -> None:
    index = MemberIndex([member("李𠮷明", room="502"), member("𠮷"), member("李明")])
    assert names(index, "𠮷") == ["𠮷", "李𠮷明"]
    assert index.search("李𠮷")[0].name == "李𠮷明"
    assert len(index.search("𠮷")[1].name) == 3


def test_a_character_pypinyin_does_not_know_reads_as_unihan_reads_its_variant() -> None:
    # 𠮷 (U+20BB7) is a variant of 吉 (Unihan kSpoofingVariant), read ji.
    index = MemberIndex([member("李𠮷明"), member("李明"), member("阿依古丽·买买提")])
    assert names(index, "ljm") == ["李𠮷明"]
    assert names(index, "lijiming") == ["李𠮷明"]
    assert names(index, "liji") == ["李𠮷明"]
    assert names(index, "lm") == ["李明"]
    assert names(index, "ayglmmt") == ["阿依古丽·买买提"]  # the middle dot has no reading


def test_a_compatibility_ideograph_reads_as_its_unified_form() -> None:
    index = MemberIndex([member("王\uf9dc"), member("王丽")])  # U+F9DC is a compatibility 隆
    assert names(index, "wl") == ["王丽", "王\uf9dc"]
    assert names(index, "wanglong") == ["王\uf9dc"]


def test_latin_letters_in_a_name_are_one_syllable() -> None:
    index = MemberIndex([member("Anna王"), member("安娜")])
    assert names(index, "annaw") == ["Anna王"]
    assert names(index, "anw") == ["Anna王"]
    assert names(index, "ANNA") == ["安娜", "Anna王"]  # an|na is the whole of 安娜


def test_characters_match_anywhere_in_the_name_with_the_whole_name_first() -> None:
    index = MemberIndex([member("静"), member("王静"), member("静香"), member("李静怡")])
    assert names(index, "静") == ["静", "静香", "李静怡", "王静"]
    assert names(index, "王静") == ["王静"]
    assert names(index, "静 怡") == ["李静怡"]


def test_covering_every_syllable_ranks_before_covering_the_first_ones() -> None:
    # By name alone 王佳琪 (wang jia qi) would come before 王静 (wang jing).
    assert names(ROSTER, "wj")[:3] == ["王静", "王佳琪", "王俊杰"]
    assert names(ROSTER, "wjq") == ["王佳琪"]


def test_the_whole_pinyin_ranks_before_a_partial_cover() -> None:
    index = MemberIndex([member("李佳楠"), member("李健")])
    # "lijian" covers li|jia|n as well, and 李佳楠 sorts first by name.
    assert names(index, "lijian") == ["李健", "李佳楠"]


def test_members_found_alike_are_ordered_by_name_then_address_with_numbers_as_numbers() -> None:
    index = MemberIndex(
        [
            member("王静", "10栋", "1单元", "101"),
            member("王静", "2栋", "10单元", "101"),
            member("王静", "2栋", "2单元", "1101"),
            member("王静", "2栋", "2单元", "502"),
        ]
    )
    found = index.search("wj")
    assert [(m.building, m.unit, m.room) for m in found] == [
        ("2栋", "2单元", "502"),
        ("2栋", "2单元", "1101"),
        ("2栋", "10单元", "101"),
        ("10栋", "1单元", "101"),
    ]


def test_digits_find_the_room_with_the_exact_number_first() -> None:
    index = MemberIndex(
        [member("艾琳", room="5012"), member("白雪", room="501"), member("陈晨", room="1501")]
    )
    assert names(index, "501") == ["白雪", "艾琳"]
    assert names(index, "５０１") == ["白雪", "艾琳"]
    assert names(index, "50") == ["艾琳", "白雪"]
    assert names(index, "999") == []


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "　"])
def test_an_empty_or_blank_query_finds_nobody(query: str) -> None:
    assert ROSTER.search(query) == []


def test_a_query_nobody_answers_to_finds_nobody() -> None:
    assert ROSTER.search("xyz") == []
    assert ROSTER.search("赵") == []
    assert ROSTER.search("!") == []


def test_an_empty_roster_finds_nobody_by_any_route() -> None:
    index = MemberIndex(())
    assert [index.search(q) for q in ("wj", "王", "501")] == [[], [], []]
    assert index.by_address("3栋", None, None) == []
    assert index.by_code("YISHI:M00001") is None


def test_the_limit_caps_the_results() -> None:
    assert len(ROSTER.search("w", limit=2)) == 2
    assert len(ROSTER.search("w")) == 3
    assert ROSTER.search("w", limit=0) == []


def test_a_long_name_of_polyphonic_characters_is_found_by_its_everyday_pinyin() -> None:
    name = "长乐重行朝长乐重行朝"
    index = MemberIndex([member(name)])
    assert names(index, "".join(lazy_pinyin(name))) == [name]
    assert names(index, "clzxc") == [name]


def test_by_address_filters_on_the_parts_given() -> None:
    index = MemberIndex(
        [
            member("王静", "3栋", "2单元", "501"),
            member("张伟", "3栋", "1单元", "501"),
            member("李娜", "13栋", "2单元", "501"),
            member("刘洋", "3栋", "2单元", "502"),
        ]
    )
    assert [m.name for m in index.by_address("3栋", "2单元", "501")] == ["王静"]
    assert [m.name for m in index.by_address("3栋", None, "501")] == ["王静", "张伟"]
    assert [m.name for m in index.by_address("3", "2", None)] == ["刘洋", "王静"]
    assert [m.name for m in index.by_address(None, " ", "501")] == ["李娜", "王静", "张伟"]
    assert index.by_address("4栋", None, None) == []


@pytest.mark.parametrize(
    "code",
    ["M00042", "m00042", "YISHI:M00042", "yishi:m00042", "  YISHI:M00042\r\n", "Yishi: M00042"],
)
def test_by_code_reads_a_card_with_or_without_prefix_in_any_case(code: str) -> None:
    index = MemberIndex([member("王静", member_no="M00042"), member("张伟", member_no="M00043")])
    found = index.by_code(code)
    assert found is not None
    assert found.name == "王静"


@pytest.mark.parametrize("code", ["", "  ", "YISHI:", "M00044", "YISHI:M0004", "XISHI:M00042"])
def test_by_code_finds_nobody_for_an_unknown_or_empty_code(code: str) -> None:
    index = MemberIndex([member("王静", member_no="M00042")])
    assert index.by_code(code) is None


COMMON = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "吕单解仇区朴查长乐重行朝伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国玉珍文辉凤红"
)
CHINESE_NAMES = st.text(alphabet=COMMON, min_size=2, max_size=4)
OTHERS = [member(name) for name in ("王静", "张伟", "单田芳", "曾国藩", "欧阳明", "吕秀英")]


@given(CHINESE_NAMES)
def test_the_full_pinyin_and_the_initials_of_a_name_always_find_it(name: str) -> None:
    wanted = member(name)
    index = MemberIndex([wanted, *OTHERS])
    syllables = lazy_pinyin(name)
    for query in ("".join(syllables), "".join(s[0] for s in syllables)):
        assert wanted in index.search(query, limit=len(OTHERS) + 1), query


def readings(name: str) -> list[set[str]]:
    """Every reading of each character, ü also as v and u: the brute-force reference's input."""
    found = []
    for char in name:
        heard = {r for group in pinyin(char, style=Style.NORMAL, heteronym=True) for r in group}
        found.append(heard | {r.replace("v", "u") for r in heard})
    return found


def answers_to(query: str, syllables: list[set[str]]) -> bool:
    """Brute force: ``query`` splits into non-empty prefixes of readings of the first syllables."""
    if not query:
        return True
    if not syllables:
        return False
    return any(
        query.startswith(reading[:size]) and answers_to(query[size:], syllables[1:])
        for reading in syllables[0]
        for size in range(1, len(reading) + 1)
    )


# Three characters have at most 4 × 3 × 3 spellings here: under the cap, so all are indexed.
SHORT_NAMES = st.text(alphabet=COMMON, min_size=1, max_size=3)


@given(st.lists(SHORT_NAMES, min_size=1, max_size=6), st.data())
def test_a_latin_query_finds_exactly_the_names_brute_force_finds(
    roster: list[str], data: st.DataObject
) -> None:
    candidates = [member(name) for name in roster]
    target = readings(data.draw(st.sampled_from(roster)))
    taken = data.draw(st.integers(1, len(target)))
    query = "".join(
        data.draw(st.sampled_from(sorted(heard)))[: data.draw(st.integers(1, 3))]
        for heard in target[:taken]
    )
    found = MemberIndex(candidates).search(query, limit=len(candidates))
    assert {m.id for m in found} == {
        m.id for m in candidates if answers_to(query, readings(m.name))
    }
