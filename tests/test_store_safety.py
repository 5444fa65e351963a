"""Nothing lost: careerkg never deletes what it did not write, never trusts a damaged store's
pointer, never lets an empty import replace a graph, and never leaves a half-written export.

Each test is a regression test for a finding of a hostile test run (issue 14, "Loses data").
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from typer.testing import CliRunner

from careerkg.cli import app
from careerkg.errors import OutputExists, StoreError
from careerkg.export import export
from careerkg.store import MARKER, OxigraphStore, is_store_folder, open_store

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the sha256 of its content."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def dump_of(store_dir: Path, tmp_path: Path) -> bytes:
    out = tmp_path / f"dump-{len(list(tmp_path.glob('dump-*')))}.nq"
    result = run("export", "-f", "nquads", "-o", out, "--store", store_dir)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


# ---------------------------------------------------------------- 1. a folder that is not a store


@pytest.mark.parametrize("command", [["stats"], ["build"], ["show", "data scientist"], ["query", "ASK {}"]])
def test_an_ordinary_folder_is_refused_and_left_untouched(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "d"
    (folder / "gen-2023-photos").mkdir(parents=True)
    (folder / "gen-2023-photos" / "a.jpg").write_bytes(b"\xff\xd8 a photo")
    (folder / "thesis.tmp").write_text("chapter one", encoding="utf-8")
    (folder / "gen-1").mkdir()
    (folder / "gen-1" / "notes.txt").write_text("mine", encoding="utf-8")
    before = fingerprint(folder)

    result = run(*command, "--store", folder)

    assert result.exit_code == 2, result.output
    assert "is a folder that is not a careerkg store" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert fingerprint(folder) == before
    assert not (folder / MARKER).exists()


def test_a_new_or_empty_folder_becomes_a_store_with_a_marker(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert not is_store_folder(empty)
    open_store(empty).close()
    assert is_store_folder(empty) and (empty / MARKER).is_file()
    with pytest.raises(StoreError, match="not a careerkg store"):
        open_store(DATA / "onet")  # a folder of files: refused in the library too


def test_a_store_written_before_the_marker_is_adopted(store_copy: Path) -> None:
    (store_copy / MARKER).unlink()
    assert is_store_folder(store_copy)
    result = run("stats", "--store", store_copy)
    assert result.exit_code == 0, result.output
    assert (store_copy / MARKER).is_file()


def test_cleaning_removes_only_what_careerkg_wrote(store_copy: Path) -> None:
    # What a writer that died leaves: a half-built generation and a temporary pointer file.
    stale = OxigraphStore(store_copy.parent / "scratch")
    stale.close()
    shutil.copytree(store_copy.parent / "scratch" / "gen-0", store_copy / "gen-5")
    (store_copy / f"CURRENT.{'a' * 32}.tmp").write_text("gen-5", encoding="utf-8")
    (store_copy / ".STATE.k2j_x9a1.part").write_text("half", encoding="utf-8")
    # What careerkg never writes, inside its own store folder: kept.
    (store_copy / "gen-9-notes").mkdir()
    (store_copy / "readme.tmp").write_text("keep me", encoding="utf-8")

    open_store(store_copy).close()

    assert not (store_copy / "gen-5").exists()
    assert not (store_copy / f"CURRENT.{'a' * 32}.tmp").exists()
    assert not (store_copy / ".STATE.k2j_x9a1.part").exists()
    assert (store_copy / "gen-9-notes").is_dir()
    assert (store_copy / "readme.tmp").read_text(encoding="utf-8") == "keep me"


# ---------------------------------------------------------------- 2. CURRENT is checked, never trusted


@pytest.mark.parametrize(
    ("pointer", "message"),
    [
        ("gen-7", "names gen-7, which holds no store data (present: gen-0)"),
        ("../victim", "names '../victim', not a generation"),
        ("", "names 'nothing', not a generation"),
        ("/etc", "names '/etc', not a generation"),
    ],
)
def test_a_damaged_pointer_is_reported_and_nothing_is_deleted(
    store_copy: Path, tmp_path: Path, pointer: str, message: str
) -> None:
    good = dump_of(store_copy, tmp_path)
    (store_copy / "CURRENT").write_text(pointer, encoding="utf-8")
    generation = fingerprint(store_copy / "gen-0")

    for command in (["stats"], ["build"], ["show", "data scientist"]):
        result = run(*command, "--store", store_copy)
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output
    assert fingerprint(store_copy / "gen-0") == generation
    assert not (tmp_path / "victim").exists()

    (store_copy / "CURRENT").write_text("gen-0", encoding="utf-8")
    assert dump_of(store_copy, tmp_path) == good  # O*NET, ESCO, curated: whatever was there, is


def test_an_export_into_the_store_folder_is_refused(store_copy: Path, tmp_path: Path) -> None:
    good = dump_of(store_copy, tmp_path)
    for target in (store_copy / "CURRENT", store_copy / "gen-0" / "x.nt", store_copy / "new.ttl"):
        result = run("export", "-f", "nt", "-o", target, "--force", "--store", store_copy)
        assert result.exit_code == 2, result.output
        assert "inside the store's folder" in result.output
    assert (store_copy / "CURRENT").read_text(encoding="utf-8").strip() == "gen-0"
    assert dump_of(store_copy, tmp_path) == good


# ---------------------------------------------------------------- 3. an import with nothing in it


def onet_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "onet"
    shutil.copytree(DATA / "onet" / "db_29_3_text", folder)
    return folder


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("O*NET-SOC Code\tTitle\tDescription\n", "no occupations found (0 data row(s) read"),
        ("O*NET-SOC Code\tTitle\tDescription\r\n\r\n\r\n", "no occupations found"),
        ("O*NET-SOC Code\tTitle\tDescription\n" + "x" * (5 * 1024 * 1024) + "\n", "line longer than"),
    ],
    ids=["header-only", "header-and-blank-lines", "one-huge-line"],
)
def test_an_onet_import_with_no_occupations_fails_and_keeps_the_graph(
    store_copy: Path, tmp_path: Path, content: str, message: str
) -> None:
    result = run("import", "onet", DATA / "onet" / "db_29_3_text", "--store", store_copy, "--no-progress")
    assert result.exit_code == 0, result.output
    before = dump_of(store_copy, tmp_path)
    broken = onet_copy(tmp_path)
    (broken / "Occupation Data.txt").write_text(content, encoding="utf-8", newline="")

    result = run("import", "onet", broken, "--store", store_copy, "--no-progress")

    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Occupation Data.txt:" in result.output
    assert dump_of(store_copy, tmp_path) == before


def test_a_long_line_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    import subprocess
    import sys

    broken = onet_copy(tmp_path)
    with open(broken / "Occupation Data.txt", "w", encoding="utf-8") as f:
        f.write("O*NET-SOC Code\tTitle\tDescription\n")
        chunk = "y" * (1 << 20)
        for _ in range(256):  # one line of 256 MiB
            f.write(chunk)
        f.write("\n")
    script = (
        "import sys\n"
        "from careerkg.imports.files import SourceFiles\n"
        "from careerkg.imports.tables import Table\n"
        "from careerkg.errors import InputError\n"
        "files = SourceFiles(sys.argv[1])\n"
        "try:\n"
        "    list(Table(files, 'Occupation Data.txt', delimiter='\\t', required=['Title']))\n"
        "except InputError as e:\n"
        "    print(e)\n"
        # VmHWM, not ru_maxrss: ru_maxrss survives exec and would report pytest's own peak.
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(broken)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0].endswith("Occupation Data.txt:2: line longer than 4,194,304 characters: "
                           "not a source file of this kind, or damaged")
    peak_mb = int(out[1]) / 1024
    assert peak_mb < 150, f"peak {peak_mb:.0f} MB reading a 256 MiB line"


def test_esco_and_crosswalk_imports_with_no_records_fail(store_copy: Path, tmp_path: Path) -> None:
    esco = tmp_path / "esco"
    shutil.copytree(DATA / "esco", esco)
    occupations = next(esco.rglob("occupations_en.csv"))
    header = occupations.read_text(encoding="utf-8").splitlines()[0]
    occupations.write_text(header + "\n", encoding="utf-8")
    result = run("import", "esco", occupations.parent, "--store", store_copy, "--no-progress")
    assert result.exit_code == 2, result.output
    assert "occupations_en.csv:1: no occupations found" in result.output

    crosswalk = tmp_path / "crosswalk.csv"
    original = next(DATA.rglob("*crosswalk*.csv")).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(original) if line.startswith("O*NET Id"))
    crosswalk.write_text("\n".join(original[: start + 1]) + "\n", encoding="utf-8")
    result = run("import", "crosswalk", crosswalk, "--store", store_copy, "--no-progress")
    assert result.exit_code == 2, result.output
    assert "no crosswalk rows found" in result.output


# ---------------------------------------------------------------- 4. export: atomic, asks first


def test_export_does_not_overwrite_without_force(store_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("my own file", encoding="utf-8")
    result = run("export", "-o", target, "--store", store_copy)
    assert result.exit_code == 2
    assert f"{target}: exists already; use --force to replace it" in result.output
    assert target.read_text(encoding="utf-8") == "my own file"

    result = run("export", "-o", target, "--force", "--store", store_copy)
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(target, format="turtle")) > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl", "store"]  # no temporary file


def test_an_interrupted_export_leaves_the_old_file(store_copy: Path, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "graph.nq"
    target.write_text("the previous export", encoding="utf-8")
    store = open_store(store_copy)

    def dies_half_way(path: Path, graph=None) -> None:
        Path(path).write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n<urn:half", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "dump", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        export(store, target, "nquads", overwrite=True)
    store.close()
    assert target.read_text(encoding="utf-8") == "the previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name != "store"] == ["graph.nq"]
    with pytest.raises(OutputExists):
        export(open_store("memory"), target, "nquads")


# ---------------------------------------------------------------- 5. line separators in literals


SEPARATORS = ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
@pytest.mark.parametrize("fmt", ["nt", "nquads"])
def test_exports_keep_literals_with_line_separators_whole(tmp_path: Path, kind: str, fmt: str) -> None:
    store = open_store(tmp_path / "store" if kind == "oxigraph" else "memory")
    data = Graph()
    texts = {f"before{sep}after {i}" for i, sep in enumerate(SEPARATORS)}
    for i, text in enumerate(sorted(texts)):
        data.add((URIRef(f"urn:career:{i}"), URIRef("urn:label"), Literal(text)))
    store.replace_graph(URIRef("urn:graph:hostile"), data)

    out = export(store, tmp_path / f"hostile.{fmt}", fmt)

    if fmt == "nt":
        objects = {str(o) for o in Graph().parse(out, format="nt").objects()}
    else:
        objects = {str(q[2]) for q in Dataset().parse(out, format="nquads").quads()}
    assert objects == texts
    assert out.read_bytes().count(b"\n") == len(texts)
    store.close()


# ---------------------------------------------------------------- stuck or left behind (issue 14)


def test_a_fifo_among_source_files_is_an_error_not_a_hang(store_copy: Path, tmp_path: Path) -> None:
    broken = onet_copy(tmp_path)
    (broken / "Skills.txt").unlink()
    os.mkfifo(broken / "Skills.txt")  # nobody writes to it: reading it would block for ever
    result = run("import", "onet", broken, "--store", store_copy, "--no-progress")
    assert result.exit_code == 2, result.output
    assert f"{broken / 'Skills.txt'}: not a regular file" in result.output


def test_a_fifo_in_the_data_folder_fails_the_build_with_its_name(tmp_path: Path) -> None:
    from careerkg.resources import data_dir

    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    os.mkfifo(data / "careers" / "zz-pipe.yaml")
    result = run("build", "--store", tmp_path / "store", "--data", data)
    assert result.exit_code == 2, result.output
    assert "zz-pipe.yaml: not a regular file" in result.output


def test_a_link_loop_in_a_source_folder_does_not_trap_the_import(store_copy: Path, tmp_path: Path) -> None:
    folder = onet_copy(tmp_path)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    result = run("import", "onet", folder, "--store", store_copy, "--no-progress")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label: &a [x, y]\nalt_labels: *a\n", ":1: YAML anchors and aliases (&, *) are not allowed here"),
        ("label: Nurse\ndefinition: bad\x00byte\n", ":2: bad YAML: unacceptable character #x0000"),
        ("label: !!python/object:os.system x\n", ":1: bad YAML: could not determine a constructor"),
    ],
    ids=["alias", "nul", "python-tag"],
)
def test_hostile_yaml_is_one_line_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    from careerkg.resources import data_dir

    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    (data / "careers" / "zz-hostile.yaml").write_text(text, encoding="utf-8")
    result = run("validate", "--data", data)
    assert result.exit_code == 2, result.output
    assert f"zz-hostile.yaml{message}" in result.output


def test_bad_utf8_in_yaml_names_the_right_line(tmp_path: Path) -> None:
    from careerkg.data.yamlio import load_yaml

    file = tmp_path / "x.yaml"
    file.write_bytes(b"label: Nurse\nalt_labels: [a]\ndefinition: caf\xe9\n")
    assert str(load_yaml(file).problems[0]).startswith(f"{file}:3: not UTF-8 text")


def test_crash_leftovers_are_removed_on_the_next_open(store_copy: Path) -> None:
    scratch = store_copy / "tmp" / "careerkg-scratch-abc123"
    scratch.mkdir(parents=True)
    (scratch / "onet.nt").write_bytes(b"x" * 1000)
    orphan = store_copy / "gen-0" / "bulk-1234567890.sst"
    orphan.write_bytes(b"half an sst")
    open_store(store_copy).close()
    assert not scratch.exists() and not orphan.exists()
    assert run("stats", "--store", store_copy).exit_code == 0


def test_imports_keep_their_scratch_inside_the_store(store_copy: Path, monkeypatch) -> None:
    import tempfile

    seen: list[str] = []
    real = tempfile.TemporaryDirectory

    def spy(*args, **kwargs):
        seen.append(str(kwargs.get("dir")))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryDirectory", spy)
    result = run("import", "onet", DATA / "onet" / "db_29_3_text", "--store", store_copy, "--no-progress")
    assert result.exit_code == 0, result.output
    assert seen and all(s.startswith(str(store_copy)) for s in seen), seen
    assert list((store_copy / "tmp").iterdir()) == []


def test_exported_files_get_the_usual_permissions(store_copy: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.nt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    assert run("export", "-f", "nt", "-o", kept, "--force", "--store", store_copy).exit_code == 0
    assert kept.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its mode
    new = tmp_path / "new.nt"
    assert run("export", "-f", "nt", "-o", new, "--store", store_copy).exit_code == 0
    umask = os.umask(0o022)
    os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask  # not the 0600 of a temporary file
