"""The import_reports command: it imports a clean file, writes nothing on a dry
run, prints row errors and refuses bad arguments."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from activities.models import ActivityReport, Status
from tests.activities.report_resource_helpers import counts, csv_bytes, row


def _write(tmp_path, rows, name="reports.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return str(path)


def test_command_imports_a_clean_file(tmp_path, net, personas):
    out = io.StringIO()
    call_command(
        "import_reports", _write(tmp_path, [row()]), "--user", "carol", stdout=out
    )
    assert "已补录 1 份历史报告" in out.getvalue()
    assert (
        ActivityReport.objects.get(title="开展敬老爱老活动").status == Status.APPROVED
    )


def test_command_dry_run_writes_nothing(tmp_path, net, personas):
    before = counts()
    out = io.StringIO()
    call_command(
        "import_reports",
        _write(tmp_path, [row()]),
        "--user",
        "carol",
        "--dry-run",
        stdout=out,
    )
    assert "试运行" in out.getvalue()
    assert counts() == before


def test_command_prints_row_errors_and_exits_non_zero(tmp_path, net, personas, capsys):
    path = _write(tmp_path, [row(), row(**{"活动类型": "跳舞"})])
    before = counts()
    # Run from a shell, a CommandError ends the process with its returncode (1).
    # call_command rather than ManagementUtility: the latter closes every database
    # connection on its way out, the test's own included on PostgreSQL.
    with pytest.raises(CommandError, match="未写入任何数据") as error:
        call_command("import_reports", path, "--user", "carol")
    assert error.value.returncode == 1
    err = capsys.readouterr().err
    assert "第 3 行：活动类型：未知的活动类型：“跳舞”" in err
    assert counts() == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["missing.csv", "--user", "carol"], "找不到文件"),
        (["{file}", "--user", "nobody-here"], "找不到用户"),
        (["{bad}", "--user", "carol"], "只支持 Excel"),
    ],
)
def test_command_refuses_bad_arguments(args, message, tmp_path, net, personas):
    good = _write(tmp_path, [row()])
    bad = tmp_path / "reports.txt"
    bad.write_text("x")
    args = [a.format(file=good, bad=bad) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import_reports", *args)
