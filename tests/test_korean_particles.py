"""The particle that follows a glued value (coursebook.bilingual.korean_particles), without a build."""

import pytest

from coursebook.bilingual.korean_particles import chosen_particle, number_reading, particle_forms  # noqa: E402


@pytest.mark.parametrize(
    "number, reading",
    [
        ("0", "영"),
        ("1", "일"),
        ("2", "이"),
        ("3", "삼"),
        ("6", "육"),
        ("7", "칠"),
        ("8", "팔"),
        ("10", "십"),
        ("100", "백"),
        ("137", "백삼십칠"),
        ("1000", "천"),
        ("10000", "일만"),
        ("120000", "십이만"),
        ("100000000", "일억"),
        ("0.5", "영 점 오"),
        ("0.0813", "영 점 영팔일삼"),
        ("-0.0353", "마이너스 영 점 영삼오삼"),
        ("−2", "마이너스 이"),
        ("1,000", "천"),
        ("54%", "오십사 퍼센트"),
        (".5", "영 점 오"),
    ],
)
def test_numbers_are_read_by_sino_korean_rules(number, reading):
    assert number_reading(number) == reading


@pytest.mark.parametrize(
    "before, pair, chosen",
    [
        ("0", "이/가", "이"),  # 영: ㅇ
        ("1", "으로/로", "로"),  # 일: ㄹ takes 로
        ("1", "이/가", "이"),
        ("2", "이/가", "가"),  # 이: no final
        ("2", "으로/로", "로"),
        ("3", "으로/로", "으로"),  # 삼: ㅁ
        ("6", "을/를", "을"),  # 육: ㄱ
        ("7", "으로/로", "로"),  # 칠: ㄹ
        ("7", "과/와", "과"),
        ("8", "은/는", "은"),  # 팔: ㄹ is still a consonant for 은/는
        ("10", "이었/였", "이었"),  # 십: ㅂ
        ("100", "으로/로", "으로"),  # 백: ㄱ
        ("0.5", "이/가", "가"),  # 오
        ("0.5", "이었/였", "였"),
        ("0.0813", "으로/로", "으로"),  # 삼
        ("0.1657", "으로/로", "로"),  # 칠
        ("0.1011", "이/가", "이"),  # 일
        ("1.9624", "이었/였", "였"),  # 사
        ("-0.0353", "이었/였", "이었"),  # 삼
        ("-2", "과/와", "와"),
        ("바닥 0.0826", "과/와", "과"),  # 육
        ("손실(0.0410)", "으로/로", "로"),  # after "word(...)" the word outside the parentheses: 실
        ("(0.0410)", "으로/로", "으로"),  # with no word before it, the number inside
        ("[[1.8226], [-1.0563]]", "으로/로", "으로"),  # brackets are not read: 삼
        ("신경망", "이/가", "이"),
        ("노드", "을/를", "를"),
        ("학교", "로/으로", "로"),  # either order of the pair
    ],
)
def test_the_particle_follows_the_last_sound(before, pair, chosen):
    assert chosen_particle(before, pair) == chosen


@pytest.mark.parametrize("before, pair", [("0.5", "에/에서"), ("x", "이/가"), ("0.5 ", "이/가"), ("", "을/를")])
def test_what_cannot_be_chosen_says_why(before, pair):
    with pytest.raises(ValueError):
        chosen_particle(before, pair)


def test_pairs_are_read_in_either_order():
    assert particle_forms("가/이") == ("이", "가") == particle_forms("이/가")
    assert particle_forms("로/으로") == ("으로", "로")
