"""`manage.py load_divisions`: loads the Yunfu divisions file, is idempotent, and a
file with any bad row stops with a Chinese message naming the line and writes
nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stations import services
from stations.models import City, County, Town

DATA_FILE = (
    Path(__file__).resolve().parents[2] / "stations" / "data" / "yunfu_divisions.csv"
)


def run(*args):
    out = io.StringIO()
    call_command("load_divisions", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def counts():
    return (City.objects.count(), County.objects.count(), Town.objects.count())


def lines():
    return DATA_FILE.read_text(encoding="utf-8").splitlines()


def write(tmp_path, rows, name="divisions.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(rows) + "\n").encode(encoding))
    return path


def test_loads_one_city_five_counties_sixty_three_towns(db):
    output = run(DATA_FILE)
    assert counts() == (1, 5, 63)
    assert "市：新增 1，更新 0，未变 0" in output
    assert "县（市、区）：新增 5，更新 0，未变 0" in output
    assert "镇（街道）：新增 63，更新 0，未变 0" in output
    city = City.objects.get(code="445300")
    assert (city.name, city.province) == ("云浮市", "广东省")
    luoding = County.objects.get(code="445381")
    assert (luoding.name, luoding.kind, luoding.city) == (
        "罗定市",
        County.Kind.COUNTY_CITY,
        city,
    )
    first = Town.objects.get(name="云城街道")
    assert (first.kind, first.display_order, first.county.short_name) == (
        "街道",
        1,
        "云城",
    )


def test_second_run_creates_nothing_and_updates_nothing(db):
    run(DATA_FILE)
    before = {
        model: list(model.objects.order_by("pk").values())
        for model in (City, County, Town)
    }
    output = run(DATA_FILE)
    assert counts() == (1, 5, 63)
    assert "市：新增 0，更新 0，未变 1" in output
    assert "县（市、区）：新增 0，更新 0，未变 5" in output
    assert "镇（街道）：新增 0，更新 0，未变 63" in output
    assert "没有改动" in output
    after = {
        model: list(model.objects.order_by("pk").values())
        for model in (City, County, Town)
    }
    assert after == before


def test_a_changed_row_updates_only_what_changed(db, tmp_path):
    run(DATA_FILE)
    rows = lines()
    rows[1] = rows[1].replace(",云城街道,街道,1", ",云城街道,街道,9")
    output = run(write(tmp_path, rows))
    assert "镇（街道）：新增 0，更新 1，未变 62" in output
    assert Town.objects.get(name="云城街道").display_order == 9


def test_dry_run_checks_and_writes_nothing(db):
    output = run(DATA_FILE, "--dry-run")
    assert "试运行" in output and "镇（街道）：新增 63" in output
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("line", "old", "new", "message"),
    [
        (3, ",区,云城,", ",省,云城,", "县级类型“省”无效"),
        (5, "445302", "44530X", "应为 6 位数字"),
        (6, ",445300,", ",云浮,", "应为 6 位数字"),
        (7, ",镇,6", ",镇,六", "应为正整数"),
        (8, ",镇,7", ",乡,7", "镇级类型“乡”无效"),
        (9, "云城区", "", "不能为空"),
    ],
)
def test_bad_row_is_a_command_error_naming_the_line_and_nothing_is_written(
    db, tmp_path, line, old, new, message
):
    rows = lines()
    assert old in rows[line - 1]
    rows[line - 1] = rows[line - 1].replace(old, new, 1)
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, rows))
    assert f"第 {line} 行" in str(error.value)
    assert message in str(error.value)
    assert "未写入任何数据" in str(error.value)
    assert counts() == (0, 0, 0)


def test_bad_row_after_a_first_load_changes_nothing(db, tmp_path):
    run(DATA_FILE)
    rows = lines()
    rows[1] = rows[1].replace("云城区", "云城新区")  # would rename a county...
    rows[-1] = rows[-1].replace(",镇,", ",村,")  # ...but the last row is bad
    with pytest.raises(CommandError, match="第 64 行"):
        run(write(tmp_path, rows))
    assert County.objects.get(code="445302").name == "云城区"


def test_a_town_twice_names_both_lines(db, tmp_path):
    rows = lines()
    rows.append(rows[1])
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, rows))
    assert "第 65 行" in str(error.value) and "与第 2 行重复" in str(error.value)
    assert counts() == (0, 0, 0)


def test_a_county_described_two_ways_is_an_error(db, tmp_path):
    rows = lines()
    rows[2] = rows[2].replace(",云城,", ",云城区,")  # another short name on line 3
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, rows))
    assert "第 3 行" in str(error.value) and "与第 2 行不一致" in str(error.value)
    assert counts() == (0, 0, 0)


def test_missing_file_and_missing_column_are_command_errors(db, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run(tmp_path / "nowhere.csv")
    rows = [line.rsplit(",", 1)[0] for line in lines()]  # town_order dropped
    with pytest.raises(CommandError, match="缺少列"):
        run(write(tmp_path, rows))
    with pytest.raises(CommandError, match="文件是空的"):
        run(write(tmp_path, [], name="empty.csv"))
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_reads_excel_encodings(db, tmp_path, encoding):
    run(write(tmp_path, lines(), encoding=encoding))
    assert counts() == (1, 5, 63)
    assert Town.objects.filter(name="泗纶镇", county__name="罗定市").exists()


def test_blank_lines_are_passed_over_and_lines_keep_their_numbers(db, tmp_path):
    rows = lines()
    rows[3:3] = ["", ",,,,,,,,,,"]  # as Excel leaves them; 安塘街道 moves to line 7
    assert "安塘街道" in rows[6]
    good = rows[6]
    rows[6] = good.replace(",街道,4", ",街道,四")
    with pytest.raises(CommandError, match="第 7 行"):
        run(write(tmp_path, rows))
    rows[6] = good
    run(write(tmp_path, rows))
    assert counts() == (1, 5, 63)


def test_reads_the_templates_chinese_headers(db, tmp_path):
    rows = lines()
    rows[0] = ",".join(services.DIVISION_HEADERS[c] for c in services.DIVISION_COLUMNS)
    run(write(tmp_path, rows))
    assert counts() == (1, 5, 63)
