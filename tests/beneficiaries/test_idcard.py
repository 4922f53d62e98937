"""GB 11643-1999 resident ID numbers: check digit (including X), birth date and
gender read from the number, and the masks every list uses."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.idcard import (
    check_digit,
    make_id_number,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    parse_id_number,
    validate_id_number,
)

D = datetime.date


@pytest.mark.parametrize(
    "number, birth, gender",
    [
        # The standard's own example: a woman born 1949-12-31, check digit X.
        ("11010519491231002X", D(1949, 12, 31), "女"),
        ("44538119850703008X", D(1985, 7, 3), "女"),
        ("445302201405060017", D(2014, 5, 6), "男"),
        ("445381198507030012", D(1985, 7, 3), "男"),
    ],
)
def test_valid_numbers_give_birth_date_and_gender(number, birth, gender):
    facts = parse_id_number(number)
    assert facts.birth_date == birth
    assert facts.gender == gender
    assert check_digit(number[:17]) == number[17]


def test_lower_case_x_and_full_width_digits_are_accepted():
    assert normalize_id_number(" 11010519491231002x ") == "11010519491231002X"
    assert normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == (
        "11010519491231002X"
    )
    assert parse_id_number("11010519491231002x").gender == "女"


@pytest.mark.parametrize(
    "number, code",
    [
        ("110105194912310021", "id_checksum"),  # X expected, 1 written
        ("445381198507030011", "id_checksum"),
        ("445302201405060018", "id_checksum"),  # one off
        ("445302201405061017", "id_checksum"),  # a digit mistyped
        ("44530220140230001X", "id_birth"),  # 30 February
        ("445302209901010011", "id_birth"),  # born in the future
        ("445302189901010011", "id_birth"),  # born before 1900
        ("4453022014050600", "id_shape"),  # 16 characters
        ("445302201405060017X", "id_shape"),  # 19 characters
        ("44530220140506001Y", "id_shape"),
        ("X45302201405060017", "id_shape"),
        ("445302 01405060017", "id_shape"),
    ],
)
def test_invalid_numbers_are_refused_with_a_chinese_reason(number, code):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(number)
    assert exc.value.code == code
    assert "身份证号" in exc.value.messages[0]


def test_validator_allows_blank_for_people_without_an_id():
    validate_id_number("")
    with pytest.raises(ValidationError):
        validate_id_number("123")


def test_made_numbers_always_validate_and_encode_gender():
    for sequence in range(0, 1000, 37):
        number = make_id_number("445302", D(2010, 2, 28), sequence)
        facts = parse_id_number(number)
        assert facts.gender == ("男" if sequence % 2 else "女")


def test_id_mask_keeps_first_four_and_last_four():
    assert mask_id_number("44538119850703008X") == "4453**********008X"
    assert len(mask_id_number("44538119850703008X")) == 18
    assert mask_id_number("") == ""
    assert mask_id_number("1234") == "****"


def test_phone_mask_keeps_first_three_and_last_four():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("138 1234 1234") == "138****1234"
    assert mask_phone("0766-8888001") == "*******8001"
    assert mask_phone("") == ""
