"""Hostile inputs (issue 14): malformed files given to ``careerkg build --data``, ``import
onet|esco|crosswalk`` and ``ingest``, each made here from a small template (the fixtures of
tests/data, copied and damaged).

Every input of :data:`REFUSED` must give exit 2, one line naming the file (at the right line
where there is one), no traceback, and leave the store's N-Quads dump byte-identical. The
inputs of :data:`ACCEPTED` are odd but legitimate (a byte-order mark, CRLF, a few bad rows):
exit 0, no traceback. One store per command kind (a copy of the session's curated store)
serves every refused input of that kind. Run with ``-s`` for the summary line.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careerkg.cli import app
from careerkg.store import OxigraphStore

DATA = Path(__file__).parent / "data"
ONET = DATA / "onet" / "db_29_3_text"
ESCO = DATA / "esco" / "v1.1.1"
CROSSWALK = DATA / "crosswalk" / "crosswalk_esco_onet.csv"
CURATED = DATA / "curated_small"
PAGE = DATA / "pages" / "wind_turbine_technician.txt"
MiB = 1024 * 1024

runner = CliRunner()


@dataclass(frozen=True)
class Case:
    """One hostile input: the command kind, a function making its arguments in a folder, the
    exit code wanted, and the ``file`` (``file:line``) its one output line must name."""

    name: str
    kind: str  # build | onet | esco | crosswalk | ingest
    make: Callable[[Path], list[str]]
    where: Callable[[Path], str]  # what the output line names, from the same folder
    code: int = 2
    lines: int = 0  # output lines: 1, or 2 for build (the problem, then the count)
    known: str = ""  # a known failure outside this suite's reach (xfail, with the reason)


TALLY = {"tried": 0, "clean": 0, "unchanged": 0, "known": 0}


# ---------------------------------------------------------------- templates and damage


def copy(template: Path, tmp: Path, name: str | None = None) -> Path:
    target = tmp / (name or template.name)
    if template.is_dir():
        shutil.copytree(template, target)
    else:
        shutil.copyfile(template, target)
    return target


def edit_bytes(path: Path, change: Callable[[bytes], bytes]) -> None:
    path.write_bytes(change(path.read_bytes()))


def edit_lines(path: Path, change: Callable[[list[bytes]], list[bytes]]) -> None:
    lines = path.read_bytes().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    path.write_bytes(b"\n".join(change(lines)) + b"\n")


def set_line(number: int, value: bytes) -> Callable[[list[bytes]], list[bytes]]:
    def change(lines: list[bytes]) -> list[bytes]:
        lines[number - 1] = value
        return lines

    return change


def append_to_line(number: int, extra: bytes) -> Callable[[list[bytes]], list[bytes]]:
    def change(lines: list[bytes]) -> list[bytes]:
        line = lines[number - 1]
        cr = b"\r" if line.endswith(b"\r") else b""  # keep a CRLF line one line
        lines[number - 1] = line[: len(line) - len(cr)] + extra + cr
        return lines

    return change


def every_data_row(
    change_row: Callable[[bytes], bytes], copies: int = 1
) -> Callable[[list[bytes]], list[bytes]]:
    def change(lines: list[bytes]) -> list[bytes]:
        return [lines[0], *(change_row(line) for line in lines[1:] for _ in range(copies))]

    return change


def fifo(path: Path) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    os.mkfifo(path)


def loop(path: Path) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(path.name)  # a link to itself


def zipped(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.iterdir()):
            z.write(f, prefix + f.name)
    return target


# Each maker gets a fresh folder and returns the command's arguments; `where` says what the
# output line must name (relative to the same folder).


def onet(damage: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        release = copy(ONET, tmp)
        damage(release)
        return ["import", "onet", str(release)]

    return make


def esco(damage: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        release = copy(ESCO, tmp)
        damage(release)
        return ["import", "esco", str(release)]

    return make


def crosswalk(damage: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        path = copy(CROSSWALK, tmp)
        damage(path)
        return ["import", "crosswalk", str(path)]

    return make


def curated(damage: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        data = copy(CURATED, tmp, "data")
        damage(data)
        return ["build", "--data", str(data)]

    return make


def ingest(page_bytes: bytes | Callable[[Path], Path], *extra: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        if callable(page_bytes):
            page = page_bytes(tmp)
        else:
            page = tmp / "page.txt"
            page.write_bytes(page_bytes)
        return ["ingest", str(page), *extra]

    return make


def merge_into(yaml_text: str) -> Callable[[Path], list[str]]:
    """``ingest --merge`` of the page into an existing career file holding ``yaml_text``."""

    def make(tmp: Path) -> list[str]:
        out = tmp / "out"
        (out / "careers").mkdir(parents=True)
        (out / "careers" / "wind-turbine-technician.yaml").write_text(yaml_text, encoding="utf-8")
        return ["ingest", str(PAGE), "-o", str(out), "--merge"]

    return make


def at(relative: str, line: int = 0) -> Callable[[Path], str]:
    def where(tmp: Path) -> str:
        return f"{tmp / relative}:{line}:" if line else str(tmp / relative)

    return where


def in_data(relative: str, line: int = 0) -> Callable[[Path], str]:
    """A curated data file, as build names it (from the data folder's parent)."""

    def where(tmp: Path) -> str:
        return f"{relative}:{line}:" if line else relative

    return where


OCC = "db_29_3_text/Occupation Data.txt"
TASKS = "db_29_3_text/Task Statements.txt"
SKILLS = "db_29_3_text/Skills.txt"
RELATED = "db_29_3_text/Related Occupations.txt"
ZONES = "db_29_3_text/Job Zones.txt"
E_OCC = "v1.1.1/occupations_en.csv"
E_SKILLS = "v1.1.1/skills_en.csv"
E_REL = "v1.1.1/occupationSkillRelations.csv"
CW = "crosswalk_esco_onet.csv"
CAREER = "data/careers/data-analyst.yaml"
CORE = "data/skills/core.yaml"

UTF16 = lambda p: edit_bytes(p, lambda b: b.decode("utf-8").encode("utf-16"))  # noqa: E731
LATIN1_AT = lambda n: lambda p: edit_lines(p, append_to_line(n, b" caf\xe9"))  # noqa: E731
HUGE = b"x" * (5 * MiB)
BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def zip_bomb(tmp: Path) -> list[str]:
    """A 2 KB zip whose 'Occupation Data.txt' is 200 MB on one line."""
    target = tmp / "bomb.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z, z.open("db/Occupation Data.txt", "w") as f:
        f.write(b"O*NET-SOC Code\tTitle\tDescription\n")
        block = b"A" * MiB
        for _ in range(200):
            f.write(block)
    return ["import", "onet", str(target)]


def truncated_zip(tmp: Path) -> list[str]:
    target = zipped(ONET, tmp / "db_29_3_text.zip", "db_29_3_text/")
    edit_bytes(target, lambda b: b[: len(b) // 2])
    return ["import", "onet", str(target)]


def corrupt_zip_member(tmp: Path) -> list[str]:
    """A zip whose stored bytes were flipped (CRC or inflate error when read)."""
    target = tmp / "db.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as z:
        z.write(ONET / "Occupation Data.txt", "Occupation Data.txt")
    data = bytearray(target.read_bytes())
    start = data.find(b"15-1252.00")
    data[start : start + 10] = b"99-9999.99"
    target.write_bytes(bytes(data))
    return ["import", "onet", str(target)]


def not_a_zip(tmp: Path) -> list[str]:
    target = tmp / "db_29_3_text.zip"
    target.write_text("this is not a zip file\n", encoding="utf-8")
    return ["import", "onet", str(target)]


def empty_zip(tmp: Path) -> list[str]:
    target = tmp / "empty.zip"
    zipfile.ZipFile(target, "w").close()
    return ["import", "esco", str(target)]


def truncated_esco_zip(tmp: Path) -> list[str]:
    target = zipped(ESCO, tmp / "esco.zip")
    edit_bytes(target, lambda b: b[: len(b) * 2 // 3])
    return ["import", "esco", str(target)]


def fifo_source(tmp: Path) -> list[str]:
    fifo(tmp / "source.zip")
    return ["import", "onet", str(tmp / "source.zip")]


def fifo_page(tmp: Path) -> Path:
    fifo(tmp / "page.txt")
    return tmp / "page.txt"


def loop_page(tmp: Path) -> Path:
    loop(tmp / "page.txt")
    return tmp / "page.txt"


def folder_page(tmp: Path) -> Path:
    (tmp / "page.txt").mkdir()
    return tmp / "page.txt"


def checklist(text: bytes) -> Callable[[Path], None]:
    def damage(release: Path) -> None:
        (release / "checklist_classification_en.chk").write_bytes(text)

    return damage


def crosswalk_with_no_csv(tmp: Path) -> list[str]:
    (tmp / "cw").mkdir()
    (tmp / "cw" / "readme.txt").write_text("nothing here\n", encoding="utf-8")
    return ["import", "crosswalk", str(tmp / "cw")]


def tab_row(cells: str) -> bytes:
    return cells.replace("|", "\t").encode()


REFUSED: list[Case] = [
    # ---- O*NET
    Case(
        "onet: no Occupation Data.txt",
        "onet",
        onet(lambda r: (r / "Occupation Data.txt").unlink()),
        at("db_29_3_text"),
    ),
    Case(
        "onet: empty Occupation Data.txt",
        "onet",
        onet(lambda r: (r / "Occupation Data.txt").write_bytes(b"")),
        at(OCC),
    ),
    Case(
        "onet: two empty files",
        "onet",
        onet(lambda r: [(r / n).write_bytes(b"") for n in ("Skills.txt", "Job Zones.txt")]),
        at(ZONES),  # the problems come sorted by file
        lines=3,
    ),
    Case(
        "onet: header only",
        "onet",
        onet(lambda r: edit_lines(r / "Occupation Data.txt", lambda ls: ls[:1])),
        at(OCC, 1),
    ),
    Case(
        "onet: blank lines only",
        "onet",
        onet(lambda r: (r / "Occupation Data.txt").write_bytes(b"\n\n\n")),
        at(OCC, 1),
    ),
    Case(
        "onet: commas for tabs",
        "onet",
        onet(lambda r: edit_bytes(r / "Occupation Data.txt", lambda b: b.replace(b"\t", b","))),
        at(OCC, 1),
    ),
    Case(
        "onet: semicolons for tabs",
        "onet",
        onet(lambda r: edit_bytes(r / "Occupation Data.txt", lambda b: b.replace(b"\t", b";"))),
        at(OCC, 1),
    ),
    Case(
        "onet: renamed column",
        "onet",
        onet(
            lambda r: edit_bytes(r / "Occupation Data.txt", lambda b: b.replace(b"\tTitle\t", b"\tName\t", 1))
        ),
        at(OCC, 1),
    ),
    Case(
        "onet: missing key column",
        "onet",
        onet(
            lambda r: edit_lines(r / "Occupation Data.txt", lambda ls: [ln.split(b"\t", 1)[1] for ln in ls])
        ),
        at(OCC, 1),
    ),
    Case(
        "onet: renamed column in Skills",
        "onet",
        onet(lambda r: edit_bytes(r / "Skills.txt", lambda b: b.replace(b"Scale ID", b"Scale", 1))),
        at(SKILLS, 1),
    ),
    Case(
        "onet: Latin-1 byte at line 3",
        "onet",
        onet(lambda r: LATIN1_AT(3)(r / "Occupation Data.txt")),
        at(OCC, 3),
    ),
    Case(
        "onet: Latin-1 byte in Task Statements",
        "onet",
        onet(lambda r: LATIN1_AT(4)(r / "Task Statements.txt")),
        at(TASKS, 4),
    ),
    Case("onet: UTF-16", "onet", onet(lambda r: UTF16(r / "Occupation Data.txt")), at(OCC, 1)),
    Case(
        "onet: truncated UTF-8 sequence at the end",
        "onet",
        onet(lambda r: edit_bytes(r / "Job Zones.txt", lambda b: b + b"\xe2\x82")),
        at(ZONES),
    ),
    Case(
        "onet: every code malformed",
        "onet",
        onet(lambda r: edit_lines(r / "Occupation Data.txt", every_data_row(lambda x: b"XX" + x))),
        at(OCC, 1),
    ),
    Case(
        "onet: NUL in every code",
        "onet",
        onet(
            lambda r: edit_lines(
                r / "Occupation Data.txt", every_data_row(lambda x: x.replace(b"-", b"-\x00", 1))
            )
        ),
        at(OCC, 1),
    ),
    Case(
        "onet: empty titles",
        "onet",
        onet(
            lambda r: edit_lines(
                r / "Occupation Data.txt",
                every_data_row(lambda x: b"\t".join([x.split(b"\t")[0], b"", *x.split(b"\t")[2:]])),
            )
        ),
        at(OCC, 1),
    ),
    Case(
        "onet: duplicate codes, many",
        "onet",
        onet(lambda r: edit_lines(r / "Occupation Data.txt", every_data_row(lambda x: x, copies=30))),
        at(OCC, 3),
    ),
    Case(
        "onet: short rows",
        "onet",
        onet(
            lambda r: edit_lines(
                r / "Task Statements.txt",
                every_data_row(lambda x: x.split(b"\t", 2)[0] + b"\t" + x.split(b"\t", 2)[1], copies=12),
            )
        ),
        at(TASKS, 2),
    ),
    Case(
        "onet: Data Values not numbers",
        "onet",
        onet(
            lambda r: edit_lines(
                r / "Skills.txt",
                every_data_row(lambda x: re.sub(rb"\t\d+\.\d+\t", b"\tlots\t", x, count=1), copies=12),
            )
        ),
        at(SKILLS, 2),
    ),
    Case(
        "onet: dangling related codes",
        "onet",
        onet(
            lambda r: edit_lines(
                r / "Related Occupations.txt",
                every_data_row(
                    lambda x: re.sub(rb"\t\d\d-\d{4}\.\d\d", b"\t99-9999.00", x, count=1), copies=12
                ),
            )
        ),
        at(RELATED, 2),
    ),
    Case(
        "onet: bad job zones",
        "onet",
        onet(
            lambda r: edit_lines(
                r / "Job Zones.txt",
                every_data_row(lambda x: re.sub(rb"\t\d\t", b"\t9\t", x, count=1), copies=12),
            )
        ),
        at(ZONES, 2),
    ),
    Case(
        "onet: 5 MB field",
        "onet",
        onet(lambda r: edit_lines(r / "Occupation Data.txt", append_to_line(2, HUGE))),
        at(OCC, 2),
    ),
    Case(
        "onet: one 6 MB line",
        "onet",
        onet(lambda r: (r / "Occupation Data.txt").write_bytes(b"A" * (6 * MiB))),
        at(OCC, 1),
    ),
    Case("onet: FIFO Occupation Data.txt", "onet", onet(lambda r: fifo(r / "Occupation Data.txt")), at(OCC)),
    Case("onet: FIFO Skills.txt", "onet", onet(lambda r: fifo(r / "Skills.txt")), at(SKILLS)),
    Case(
        "onet: link loop Occupation Data.txt",
        "onet",
        onet(lambda r: loop(r / "Occupation Data.txt")),
        at(OCC),
    ),
    Case(
        "onet: a folder named Occupation Data.txt",
        "onet",
        onet(lambda r: ((r / "Occupation Data.txt").unlink(), (r / "Occupation Data.txt").mkdir())),
        at("db_29_3_text"),
    ),
    Case("onet: truncated zip", "onet", truncated_zip, at("db_29_3_text.zip")),
    Case("onet: corrupt zip member", "onet", corrupt_zip_member, at("db.zip")),
    Case("onet: not a zip", "onet", not_a_zip, at("db_29_3_text.zip")),
    Case("onet: zip bomb", "onet", zip_bomb, at("bomb.zip")),
    Case("onet: FIFO as the source", "onet", fifo_source, at("source.zip")),
    Case("onet: no such source", "onet", lambda tmp: ["import", "onet", str(tmp / "nothing")], at("nothing")),
    # ---- ESCO
    Case(
        "esco: no occupations file", "esco", esco(lambda r: (r / "occupations_en.csv").unlink()), at("v1.1.1")
    ),
    Case(
        "esco: empty skills file",
        "esco",
        esco(lambda r: (r / "skills_en.csv").write_bytes(b"")),
        at(E_SKILLS),
    ),
    Case(
        "esco: header only",
        "esco",
        esco(lambda r: edit_lines(r / "occupations_en.csv", lambda ls: ls[:1])),
        at(E_OCC, 1),
    ),
    Case(
        "esco: semicolons",
        "esco",
        esco(lambda r: edit_bytes(r / "occupations_en.csv", lambda b: b.replace(b",", b";"))),
        at(E_OCC, 1),
    ),
    Case(
        "esco: tabs",
        "esco",
        esco(lambda r: edit_bytes(r / "skills_en.csv", lambda b: b.replace(b",", b"\t"))),
        at(E_SKILLS, 1),
    ),
    Case(
        "esco: renamed column",
        "esco",
        esco(lambda r: edit_bytes(r / "occupations_en.csv", lambda b: b.replace(b"conceptUri", b"uri", 1))),
        at(E_OCC, 1),
    ),
    Case(
        "esco: renamed relation column",
        "esco",
        esco(
            lambda r: edit_bytes(
                r / "occupationSkillRelations.csv", lambda b: b.replace(b"skillUri", b"skill", 1)
            )
        ),
        at(E_REL, 1),
    ),
    Case("esco: Latin-1 byte", "esco", esco(lambda r: LATIN1_AT(3)(r / "skills_en.csv")), at(E_SKILLS, 3)),
    Case("esco: UTF-16", "esco", esco(lambda r: UTF16(r / "occupations_en.csv")), at(E_OCC, 1)),
    Case(
        "esco: URIs that are not IRIs",
        "esco",
        esco(
            lambda r: edit_lines(
                r / "occupations_en.csv", every_data_row(lambda x: x.replace(b"http://", b"not an iri "))
            )
        ),
        at(E_OCC, 1),
    ),
    Case(
        "esco: unknown relation types",
        "esco",
        esco(
            lambda r: edit_lines(
                r / "occupationSkillRelations.csv",
                every_data_row(
                    lambda x: x.replace(b",essential,", b",vital,").replace(b",optional,", b",vital,"),
                    copies=12,
                ),
            )
        ),
        at(E_REL, 2),
    ),
    Case(
        "esco: 5 MB field",
        "esco",
        esco(lambda r: edit_lines(r / "skills_en.csv", append_to_line(2, HUGE))),
        at(E_SKILLS, 2),
    ),
    Case("esco: FIFO skills file", "esco", esco(lambda r: fifo(r / "skills_en.csv")), at(E_SKILLS)),
    Case(
        "esco: checksum mismatch",
        "esco",
        esco(checklist(b"MD5 (skills_en.csv) = 00000000000000000000000000000000\n")),
        at(E_SKILLS),
    ),
    Case(
        "esco: checklist not UTF-8",
        "esco",
        esco(checklist(b"MD5 (skills_en.csv) = \xff\xfe\n")),
        at("v1.1.1/checklist_classification_en.chk", 1),
    ),
    Case("esco: empty zip", "esco", empty_zip, at("empty.zip")),
    Case("esco: truncated zip", "esco", truncated_esco_zip, at("esco.zip")),
    # ---- crosswalk
    Case("crosswalk: empty file", "crosswalk", crosswalk(lambda p: p.write_bytes(b"")), at(CW)),
    Case(
        "crosswalk: another CSV",
        "crosswalk",
        crosswalk(lambda p: p.write_text("a,b,c\n1,2,3\n", encoding="utf-8")),
        at(CW, 1),
    ),
    Case(
        "crosswalk: header only",
        "crosswalk",
        crosswalk(lambda p: edit_lines(p, lambda ls: ls[:6])),
        at(CW, 6),
    ),
    Case(
        "crosswalk: semicolons",
        "crosswalk",
        crosswalk(lambda p: edit_bytes(p, lambda b: b.replace(b",", b";"))),
        at(CW, 1),
    ),
    Case(
        "crosswalk: unknown match types",
        "crosswalk",
        crosswalk(
            lambda p: edit_lines(
                p,
                lambda ls: (
                    ls[:6] + [re.sub(rb",\w+(\r?)$", rb",sameAs\1", x) for x in ls[6:] for _ in range(12)]
                ),
            )
        ),
        at(CW, 7),
    ),
    Case(
        "crosswalk: bad O*NET codes",
        "crosswalk",
        crosswalk(lambda p: edit_lines(p, lambda ls: ls[:6] + [b"X" + x for x in ls[6:] for _ in range(12)])),
        at(CW, 7),
    ),
    Case("crosswalk: Latin-1 byte", "crosswalk", crosswalk(lambda p: LATIN1_AT(8)(p)), at(CW, 8)),
    Case("crosswalk: UTF-16", "crosswalk", crosswalk(UTF16), at(CW, 1)),
    Case(
        "crosswalk: 6 MB line",
        "crosswalk",
        crosswalk(lambda p: edit_lines(p, append_to_line(7, HUGE + HUGE[:MiB]))),
        at(CW, 7),
    ),
    Case("crosswalk: FIFO", "crosswalk", crosswalk(fifo), at(CW)),
    Case("crosswalk: a folder with no CSV", "crosswalk", crosswalk_with_no_csv, at("cw")),
    Case(
        "crosswalk: only occupations the store lacks",
        "crosswalk",
        crosswalk(
            lambda p: edit_lines(
                p, lambda ls: ls[:6] + [re.sub(rb"^\d\d-\d{4}", b"99-9999", x) for x in ls[6:]]
            )
        ),
        at(CW, 7),
    ),
    # ---- build --data
    Case(
        "build: python tag",
        "build",
        curated(
            lambda d: (d / "skills" / "core.yaml").write_text(
                "x: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8"
            )
        ),
        in_data(CORE, 1),
    ),
    Case(
        "build: billion laughs",
        "build",
        curated(lambda d: (d / "skills" / "core.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")),
        in_data(CORE, 1),
    ),
    Case(
        "build: bad YAML syntax",
        "build",
        curated(
            lambda d: (d / "careers" / "data-analyst.yaml").write_text(
                "label: [unclosed\nonet: 1\n", encoding="utf-8"
            )
        ),
        in_data(CAREER),
    ),
    Case(
        "build: NUL byte",
        "build",
        curated(lambda d: edit_lines(d / "careers" / "data-analyst.yaml", append_to_line(3, b"\x00"))),
        in_data(CAREER, 3),
    ),
    Case(
        "build: escape character",
        "build",
        curated(lambda d: edit_lines(d / "careers" / "data-analyst.yaml", append_to_line(3, b"\x1b[31m"))),
        in_data(CAREER, 3),
    ),
    Case(
        "build: Latin-1 byte",
        "build",
        curated(lambda d: LATIN1_AT(3)(d / "careers" / "data-analyst.yaml")),
        in_data(CAREER, 3),
    ),
    Case(
        "build: UTF-16",
        "build",
        curated(lambda d: UTF16(d / "careers" / "data-analyst.yaml")),
        in_data(CAREER, 1),
    ),
    Case(
        "build: FIFO career",
        "build",
        curated(lambda d: fifo(d / "careers" / "data-analyst.yaml")),
        in_data(CAREER),
    ),
    Case(
        "build: link loop career",
        "build",
        curated(lambda d: loop(d / "careers" / "data-analyst.yaml")),
        in_data(CAREER),
    ),
    Case(
        "build: duplicate key",
        "build",
        curated(lambda d: edit_lines(d / "careers" / "data-analyst.yaml", lambda ls: [*ls, b"label: Again"])),
        in_data(CAREER, 20),
    ),
    Case(
        "build: dangling skill",
        "build",
        curated(
            lambda d: edit_bytes(
                d / "careers" / "data-analyst.yaml",
                lambda b: b.replace(b"optional: [python]", b"optional: [pythn]"),
            )
        ),
        in_data(CAREER, 9),
    ),
    Case(
        "build: dangling related career",
        "build",
        curated(
            lambda d: edit_bytes(
                d / "careers" / "data-analyst.yaml",
                lambda b: b.replace(b"career: data-scientist", b"career: data-wizard"),
            )
        ),
        in_data(CAREER, 15),
    ),
    Case(
        "build: empty career file",
        "build",
        curated(lambda d: (d / "careers" / "data-analyst.yaml").write_bytes(b"")),
        in_data(CAREER),
    ),
    Case(
        "build: skills file is a list",
        "build",
        curated(lambda d: (d / "skills" / "core.yaml").write_text("- a\n- b\n", encoding="utf-8")),
        in_data(CORE, 1),
    ),
    Case(
        "build: 100,000-deep nesting",
        "build",
        curated(
            lambda d: (d / "skills" / "core.yaml").write_text(
                "x: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8"
            )
        ),
        in_data(CORE),
    ),
    Case("build: no careers folder", "build", curated(lambda d: shutil.rmtree(d / "careers")), at("data")),
    # ---- ingest
    Case("ingest: empty page", "ingest", ingest(b""), at("page.txt")),
    Case(
        "ingest: binary page",
        "ingest",
        ingest(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
        at("page.txt"),
    ),
    Case(
        "ingest: FIFO page",
        "ingest",
        ingest(fifo_page),
        at("page.txt"),
    ),
    Case("ingest: link loop page", "ingest", ingest(loop_page), at("page.txt")),
    Case("ingest: a folder as the page", "ingest", ingest(folder_page), at("page.txt")),
    Case(
        "ingest: nested HTML",
        "ingest",
        ingest(
            lambda tmp: (
                (tmp / "p.html").write_text("<div>" * 100_000 + "x", encoding="utf-8") and tmp / "p.html"
            )
        ),
        at("p.html"),
    ),
    Case(
        "ingest: merge into YAML with aliases",
        "ingest",
        merge_into(BILLION_LAUGHS),
        at("out/careers/wind-turbine-technician.yaml", 1),
        lines=2,
    ),
    Case(
        "ingest: merge into YAML with a python tag",
        "ingest",
        merge_into("label: !!python/name:os.system\n"),
        at("out/careers/wind-turbine-technician.yaml", 1),
        lines=2,
    ),
    Case(
        "ingest: merge into bad YAML",
        "ingest",
        merge_into("label: [\n"),
        at("out/careers/wind-turbine-technician.yaml", 2),
        lines=2,
    ),
]

ACCEPTED: list[Case] = [
    Case(
        "esco: unterminated quote",
        "esco",
        esco(lambda r: edit_lines(r / "occupations_en.csv", lambda ls: [ls[0], b'"' + ls[1], *ls[2:]])),
        at(E_OCC, 2),
        code=0,
    ),
    Case(
        "onet: BOM",
        "onet",
        onet(lambda r: edit_bytes(r / "Occupation Data.txt", lambda b: b"\xef\xbb\xbf" + b)),
        at(OCC),
        0,
    ),
    Case(
        "onet: CRLF",
        "onet",
        onet(lambda r: [edit_bytes(f, lambda b: b.replace(b"\n", b"\r\n")) for f in r.iterdir()]),
        at(OCC),
        0,
    ),
    Case(
        "onet: a duplicate code",
        "onet",
        onet(lambda r: edit_lines(r / "Occupation Data.txt", lambda ls: [*ls, ls[1]])),
        at(OCC),
        0,
    ),
    Case(
        "onet: one dangling related code",
        "onet",
        onet(
            lambda r: edit_lines(
                r / "Related Occupations.txt",
                lambda ls: [*ls, ls[1].replace(ls[1].split(b"\t")[1], b"99-9999.00")],
            )
        ),
        at(RELATED),
        0,
    ),
    Case(
        "onet: control characters in a title",
        "onet",
        onet(
            lambda r: edit_lines(
                r / "Occupation Data.txt",
                lambda ls: [ls[0], re.sub(rb"\t", "\t\x1b\x0b\x1c\u2028 ".encode(), ls[1], count=1), *ls[2:]],
            )
        ),
        at(OCC),
        0,
    ),
    Case(
        "onet: only the occupations",
        "onet",
        onet(lambda r: [f.unlink() for f in r.iterdir() if f.name != "Occupation Data.txt"]),
        at(OCC),
        0,
    ),
    Case(
        "onet: the official zip",
        "onet",
        lambda tmp: ["import", "onet", str(zipped(ONET, tmp / "db_29_3_text.zip", "db_29_3_text/"))],
        at(OCC),
        0,
    ),
    Case(
        "esco: BOM and CRLF",
        "esco",
        esco(
            lambda r: [
                edit_bytes(f, lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")) for f in r.iterdir()
            ]
        ),
        at(E_OCC),
        0,
    ),
    Case(
        "esco: relations naming absent skills",
        "esco",
        esco(
            lambda r: edit_lines(
                r / "occupationSkillRelations.csv",
                lambda ls: [
                    *ls,
                    ls[1].rsplit(b",", 1)[0]
                    + b",http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000",
                ],
            )
        ),
        at(E_REL),
        0,
    ),
    Case(
        "crosswalk: BOM and CRLF",
        "crosswalk",
        crosswalk(lambda p: edit_bytes(p, lambda b: b.replace(b"\n", b"\r\n"))),
        at(CW),
        0,
    ),
    Case(
        "build: BOM and CRLF",
        "build",
        curated(
            lambda d: edit_bytes(
                d / "careers" / "data-analyst.yaml", lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")
            )
        ),
        in_data(CAREER),
        0,
    ),
    Case("ingest: CRLF page", "ingest", ingest(PAGE.read_bytes().replace(b"\n", b"\r\n")), at("page.txt"), 0),
]


# ---------------------------------------------------------------- stores, one per kind


@pytest.fixture(scope="module")
def stores(copy_of_built_store) -> dict[str, Path]:
    """A store per command kind. The crosswalk's holds the O*NET and ESCO fixtures too, so
    that rows naming occupations it lacks can be told."""
    made = {kind: copy_of_built_store(f"hostile-{kind}") for kind in ("build", "onet", "esco", "crosswalk")}
    for kind, source in (("onet", ONET), ("esco", ESCO)):
        result = runner.invoke(
            app, ["import", kind, str(source), "--store", str(made["crosswalk"]), "--no-progress"]
        )
        assert result.exit_code == 0, result.output
    return made


def dump_hash(store: Path, tmp: Path) -> str:
    opened = OxigraphStore(store)
    try:
        opened.dump(tmp / "dump.nq")
    finally:
        opened.close()
    digest = hashlib.sha256((tmp / "dump.nq").read_bytes()).hexdigest()
    (tmp / "dump.nq").unlink()
    return digest


@pytest.fixture(scope="module")
def baselines(stores: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("baselines")
    return {kind: dump_hash(store, tmp) for kind, store in stores.items()}


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


HANG_SECONDS = 5  # a FIFO still read after this long: the command hangs on it


def invoke(args: list[str], store: Path | None, work: Path | None = None):
    """Run the command in-process. A watchdog opens, for writing, every FIFO under ``work``
    still waited on after :data:`HANG_SECONDS` (a reader blocked on one then sees its end),
    so a command that hangs on a FIFO fails the case instead of the whole suite."""
    if args[0] in ("build", "import"):
        args = [*args, "--store", str(store)]
        if args[0] == "import":
            args.append("--no-progress")
    done = threading.Event()
    hung: list[str] = []

    def watchdog() -> None:
        if done.wait(HANG_SECONDS) or work is None:
            return
        for path in work.rglob("*"):
            if path.is_fifo():
                try:
                    os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
                    hung.append(str(path))
                except OSError:
                    pass

    watcher = threading.Thread(target=watchdog, daemon=True)
    watcher.start()
    try:
        result = runner.invoke(app, args)
    finally:
        done.set()
        watcher.join()
    assert not hung, f"hung reading the FIFO {hung[0]} (unblocked after {HANG_SECONDS}s)"
    return result


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def params(cases: list[Case]) -> list:
    return [
        pytest.param(c, id=c.name, marks=[pytest.mark.xfail(reason=c.known, strict=True)] if c.known else [])
        for c in cases
    ]


@pytest.mark.parametrize("case", params(REFUSED))
def test_refused(case: Case, stores: dict[str, Path], baselines: dict[str, str], tmp_path: Path) -> None:
    TALLY["tried"] += 1
    TALLY["known"] += bool(case.known)  # counted as tried, expected not clean
    work = tmp_path / "in"
    work.mkdir()
    args = case.make(work)
    watched = work / "out" if (work / "out").is_dir() else None
    before_out = fingerprint(watched) if watched else None
    store = stores.get(case.kind)

    result = invoke(args, store, work)

    lines = [line for line in result.output.splitlines() if line.strip()]
    wanted = case.where(work)
    clean = (
        result.exit_code == case.code
        and "Traceback" not in result.output
        and (result.exception is None or isinstance(result.exception, SystemExit))
        and bool(lines)
        and wanted in lines[0]
        and len([line for line in lines if wanted in line]) == 1
    )
    TALLY["clean"] += clean
    if store is not None:
        after = dump_hash(store, tmp_path)
        unchanged = after == baselines[case.kind]
        baselines[case.kind] = after  # one damaged store must not fail every case after it
    else:
        unchanged = watched is None or fingerprint(watched) == before_out
    TALLY["unchanged"] += unchanged

    no_traceback(result)
    assert result.exit_code == case.code, result.output
    assert lines and wanted in lines[0], f"wanted {wanted!r} first in:\n{result.output}"
    assert len([line for line in lines if wanted in line]) == 1, result.output
    assert len(lines) == (case.lines or (2 if case.kind == "build" else 1)), result.output
    assert unchanged, "the store (or output folder) changed"


@pytest.mark.parametrize("case", params(ACCEPTED))
def test_accepted(case: Case, copy_of_built_store, tmp_path: Path) -> None:
    work = tmp_path / "in"
    work.mkdir()
    store = copy_of_built_store("accepted") if case.kind != "ingest" else None
    result = invoke(case.make(work), store, work)
    no_traceback(result)
    assert result.exit_code == 0, result.output


def test_build_reports_the_root_cause_only(tmp_path: Path, copy_of_built_store) -> None:
    """Regression (issue 14, item 15): a skills file that cannot be read gave an 'unknown skill'
    for every reference to it, printed (sorted by file) before the root cause."""
    data = copy(CURATED, tmp_path, "data")
    (data / "skills" / "core.yaml").write_text("python: {label: [unclosed\n", encoding="utf-8")
    (data / "careers" / "data-analyst.yaml").write_text("label: [\n", encoding="utf-8")
    result = invoke(["build", "--data", str(data)], copy_of_built_store("root-cause"))
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2
    assert "unknown" not in result.output, result.output
    assert [line.split(":")[0] for line in lines[:2]] == [CAREER, CORE]
    assert lines[-1] == "error: 2 problem(s) found; nothing was changed"


def test_zzz_summary(suite_report) -> None:
    """Runs last (by name, in this file): the counts of the whole suite."""
    suite_report(
        f"hostile inputs: {TALLY['tried']} tried / {TALLY['clean']} clean errors / "
        f"{TALLY['unchanged']} store unchanged (+{len(ACCEPTED)} accepted inputs; "
        f"{TALLY['known']} known failure(s) outside imports, xfail)"
    )
    if TALLY["tried"]:
        assert TALLY["clean"] >= TALLY["tried"] - TALLY["known"]
        assert TALLY["unchanged"] >= TALLY["tried"] - TALLY["known"]
