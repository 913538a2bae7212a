"""Execution in shares (coursebook.sharding): `make plan`, `make execute SHARD=k/N SHARD_DIR=...`, `make book SHARDS=...`."""

import json
import subprocess
from pathlib import Path

import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from coursebook.chapters import ROOT, Chapter, SourceError, checked_chapters
from coursebook.execution.reproducible import computed, differences, sharded_build
from coursebook.execution.executor import Executor, read_notebook
from coursebook.build.repo_copy import copy_repo, run_tool
from coursebook import sharding as shards


def fake(name: str) -> Chapter:
    return Chapter(Path(f"/nowhere/{name}.md"), f"lectures/{name}")


SECONDS = {"a": 100, "b": 60, "c": 50, "d": 40, "e": 10}
STALE = [(fake(name), False) for name in SECONDS]


def names(shares):
    return [[c.docname.removeprefix("lectures/") for c in share] for share in shares]


def seconds(chapter: Chapter) -> float:
    return SECONDS[chapter.docname.removeprefix("lectures/")]


def test_shares_are_balanced_longest_first_each_to_the_least_loaded():
    shares, gpu = shards.partition(STALE, 2, seconds)
    # a 100 -> 1; b 60 -> 2; c 50 -> 2 (60 < 100); d 40 -> 1 (100 < 110); e 10 -> 2 (110 < 140)
    assert names(shares) == [["a", "d"], ["b", "c", "e"]] and gpu is None
    assert names(shards.partition(list(reversed(STALE)), 2, seconds)[0]) == names(shares), "the order given does not matter"
    three, _ = shards.partition(STALE, 3, seconds)
    assert sorted(sum(names(three), [])) == sorted(SECONDS) and names(three) == [["a"], ["b", "e"], ["c", "d"]]
    assert names(shards.partition(STALE, 7, seconds)[0])[5:] == [[], []], "more shares than chapters: some are empty"


def test_gpu_chapters_make_the_last_share():
    stale = [(chapter, chapter.docname.endswith(("b", "e"))) for chapter, _ in STALE]
    shares, gpu = shards.partition(stale, 3, seconds)
    assert gpu == 2 and names(shares) == [["a"], ["c", "d"], ["b", "e"]]
    with pytest.raises(SourceError, match="share of their own"):
        shards.partition(stale, 1, seconds)
    only_gpu = [(chapter, True) for chapter, _ in STALE[:2]]
    assert shards.partition(only_gpu, 1, seconds) == ([[STALE[0][0], STALE[1][0]]], 0)


def test_the_number_of_shares_follows_the_recorded_work(monkeypatch):
    monkeypatch.setattr(shards, "SHARD_SECONDS", 100)
    assert shards.shares_needed(STALE, seconds, 4) == 3  # 260 s of work
    assert shards.shares_needed(STALE, seconds, 2) == 2
    assert shards.shares_needed(STALE[:1], seconds, 4) == 1
    assert shards.shares_needed([], seconds, 4) == 0
    with_gpu = STALE + [(fake("g"), True)]
    assert shards.shares_needed(with_gpu, seconds, 4) == 4 and shards.shares_needed(with_gpu, seconds, 2) == 2


@pytest.mark.parametrize("spec", ["0/3", "4/3", "3", "a/b", "1/0", ""])
def test_a_share_is_k_of_n(spec):
    with pytest.raises(SourceError, match="SHARD="):
        shards.parse_shard(spec)
    assert shards.parse_shard("2/3") == (2, 3)


def chapter_file(tmp_path: Path, front: str) -> Chapter:
    path = tmp_path / "lectures" / "09_gpu.md"
    path.parent.mkdir(exist_ok=True)
    head = "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\nkernelspec:\n  name: python3\n  display_name: Python 3\n"
    path.write_text(f"{head}{front}---\n# GPU · GPU\n\n```{{code-cell}} ipython3\nprint(1)\n```\n", encoding="utf-8")
    return Chapter(path, "lectures/09_gpu")


def test_a_chapter_asks_for_the_gpu_runner_in_its_front_matter(tmp_path, monkeypatch):
    gpu = chapter_file(tmp_path, "coursebook:\n  runner: gpu\n")
    assert shards.requested_runner(gpu, read_notebook(gpu)) == "gpu"
    monkeypatch.delenv(shards.GPU_RUNNER, raising=False)
    assert shards.routed_device(gpu, read_notebook(gpu)) is None, "no GPU runner: this machine's device"
    monkeypatch.setenv(shards.GPU_RUNNER, "nnstep-gpu")
    assert shards.routed_device(gpu, read_notebook(gpu)) == "cuda"
    plain = chapter_file(tmp_path, "")
    assert shards.requested_runner(plain, read_notebook(plain)) == "cpu" and shards.routed_device(plain, read_notebook(plain)) is None


@pytest.mark.parametrize("front", ["coursebook:\n  runner: tpu\n", "coursebook: gpu\n"])
def test_a_wrong_runner_names_the_chapter(tmp_path, front):
    chapter = chapter_file(tmp_path, front)
    with pytest.raises(SourceError, match="lectures/09_gpu.md: the front matter's `coursebook:`"):
        shards.requested_runner(chapter, read_notebook(chapter))


# ---------------------------------------------------------------- merging shard folders


@pytest.fixture
def executor(tmp_path):
    return Executor(tmp_path / "build", warm_kernels=False, cache_dir=tmp_path / "cache")


def shard_folder(folder: Path, chapters: dict, record: dict, device: str = "cpu") -> Path:
    folder.mkdir(parents=True)
    (folder / "shard.json").write_text(json.dumps({"format": shards.FORMAT, "shard": "1/1", "device": device, "chapters": chapters}))
    (folder / "execution.json").write_text(json.dumps({"chapters": record}))
    return folder


def test_a_folder_that_is_not_a_shard_is_named(tmp_path, executor):
    chapters = checked_chapters()
    with pytest.raises(shards.ShardError, match=f"{tmp_path / 'missing'} is not a folder"):
        shards.merge_shards(executor, [tmp_path / "missing"], chapters)
    (tmp_path / "empty").mkdir()
    with pytest.raises(shards.ShardError, match=f"{tmp_path / 'empty'}/shard.json"):
        shards.merge_shards(executor, [tmp_path / "empty"], chapters)


def test_a_chapter_executed_from_other_sources_runs_again(tmp_path, executor, capsys):
    chapter = checked_chapters()[1]
    folder = shard_folder(tmp_path / "s", {chapter.docname: "executed"}, {chapter.docname: {"key": "0" * 16, "seconds": 1}})
    assert shards.merge_shards(executor, [folder], checked_chapters()) == {}
    assert f"{chapter.relpath} was executed from other sources" in capsys.readouterr().out
    assert chapter.docname not in executor.manifest["chapters"]


def test_a_shard_must_hold_the_notebooks_it_lists_and_no_chapter_is_in_two(tmp_path, executor):
    chapter = checked_chapters()[1]
    nb = read_notebook(chapter)
    key = shards.dependency_key(nb, shards.environment_fingerprint("cpu"), shards.package_fingerprint())
    one = shard_folder(tmp_path / "one", {chapter.docname: "executed"}, {chapter.docname: {"key": key}})
    with pytest.raises(shards.ShardError, match=f"{one}/cache has no executed notebook of {chapter.relpath}"):
        shards.merge_shards(executor, [one], checked_chapters())
    two = shard_folder(tmp_path / "two", {chapter.docname: "executed"}, {chapter.docname: {"key": key}})
    for folder in (one, two):
        get_cache(str(folder / "cache")).cache_notebook_bundle(CacheBundleIn(nb, str(chapter.path)), check_validity=False)
    assert shards.merge_shards(executor, [one], checked_chapters()) == {chapter.docname: "cpu"}
    executor.cache.match_cache_notebook(nb)  # merged into the build's cache, where myst-nb looks
    with pytest.raises(shards.ShardError, match=f"{chapter.relpath} is in two shares, {one} and {two}"):
        shards.merge_shards(executor, [one, two], checked_chapters())


def test_after_a_merge_of_every_share_no_chapter_is_stale_in_this_build_or_the_next(tmp_path, executor, monkeypatch):
    """The merge records every chapter it takes (key and time) and caches its notebook: the build then runs
    nothing, and the record it saves leaves nothing for the next build either. No kernel runs here: the
    shares' "executed" notebooks are the parsed ones, which the cache matches on their code alone."""
    monkeypatch.setenv("COURSEBOOK_DEVICE", "cpu")
    chapters = [c for c in checked_chapters() if read_notebook(c) is not None]
    assert len(chapters) >= 3
    folders = []
    for k, share in enumerate((chapters[::2], chapters[1::2]), start=1):
        record = {}
        for chapter in share:
            key = shards.dependency_key(read_notebook(chapter), shards.environment_fingerprint("cpu"), shards.package_fingerprint())
            record[chapter.docname] = {"key": key, "seconds": 10.0 + k, "device": "cpu"}
        folder = shard_folder(tmp_path / f"share{k}", {c.docname: "executed" for c in share}, record)
        for chapter in share:
            get_cache(str(folder / "cache")).cache_notebook_bundle(
                CacheBundleIn(read_notebook(chapter), str(chapter.path)), check_validity=False
            )
        folders.append(folder)
    assert len(shards.stale_chapters(executor, chapters)) == len(chapters), "before the merge, every chapter is stale"
    merged = shards.merge_shards(executor, folders, chapters)
    assert merged == {c.docname: "cpu" for c in chapters}
    assert shards.stale_chapters(executor, chapters) == []
    assert {c.docname: executor.manifest["chapters"][c.docname]["seconds"] for c in chapters} == {
        c.docname: 11.0 if i % 2 == 0 else 12.0 for i, c in enumerate(chapters)
    }
    outcomes = executor.run(chapters)  # what the build does next: nothing to run, the record saved
    assert {o.status for o in outcomes} == {"cached"}
    again = Executor(executor.build_dir, warm_kernels=False, cache_dir=tmp_path / "cache")
    assert shards.stale_chapters(again, chapters) == []


# ---------------------------------------------------------------- the real chapters


@pytest.mark.slow
@pytest.mark.build
def test_a_build_from_two_shares_of_fresh_kernels_executes_nothing_and_equals_one_machines(built_site, tmp_path):
    """The shares run one after another in one copy without a cache (each into its own folder, as two
    runners would), each chapter in a fresh Python; the reference is this session's build, made with
    forked kernels on one machine. So one more execution of the book checks both that shares merge
    without changing a number and that forked kernels compute what fresh ones do (`make reproducible`
    does each on its own, from two more clean builds). sharded_build fails if the merge executed anything."""
    copy = sharded_build(tmp_path, 2, "--fresh-kernels")
    shares = [json.loads((tmp_path / f"share-{k}" / "shard.json").read_text()) for k in (1, 2)]
    ran = [set(share["chapters"]) for share in shares]
    assert ran[0] and ran[1] and not ran[0] & ran[1]
    assert all(status == "executed" for share in shares for status in share["chapters"].values())
    record = json.loads((copy / "_build" / "execution.json").read_text())
    assert set(record["last_build"].values()) == {"executed"}, "the status page says they ran in this build"
    single, merged = computed(ROOT), computed(copy)
    assert len(single) > 100 and not differences(single, merged)


@pytest.fixture
def copy_with_cache(built_site, tmp_path) -> Path:
    """A copy of the repository with this session's execution cache: every chapter is fresh there."""
    return copy_repo(tmp_path / "repo", with_cache=True)


def break_first_chapter(repo: Path, front: str = "") -> str:
    chapter = checked_chapters(repo)[1]
    text = chapter.path.read_text(encoding="utf-8").replace("kernelspec:", f"{front}kernelspec:", 1)
    cell = "```{code-cell} ipython3\n"
    chapter.path.write_text(text.replace(cell, cell + "raise ValueError('broken on purpose')\n", 1), encoding="utf-8")
    return chapter.relpath


def test_a_failing_share_names_its_chapter_in_the_job_summary(copy_with_cache, tmp_path):
    relpath = break_first_chapter(copy_with_cache, "coursebook:\n  runner: gpu\n")
    summary = tmp_path / "summary.md"
    result = run_tool(
        copy_with_cache,
        "execute",
        "--shard",
        "1/1",
        "--dir",
        str(tmp_path / "share"),
        GITHUB_STEP_SUMMARY=str(summary),
        COURSEBOOK_GPU_RUNNER="",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    text = summary.read_text()
    assert f"**{relpath}** failed" in text and "ValueError: broken on purpose" in text
    assert f"{relpath} asks for a GPU runner" in text and "it runs on the CPU" in text
    share = json.loads((tmp_path / "share" / "shard.json").read_text())
    assert share["chapters"] == {relpath.removesuffix(".md"): "failed"}
    assert "broken on purpose" in next((tmp_path / "share" / "reports").iterdir()).read_text()


def test_the_plan_sends_gpu_chapters_to_the_gpu_runner(copy_with_cache, tmp_path):
    relpath = break_first_chapter(copy_with_cache, "coursebook:\n  runner: gpu\n")
    (copy_with_cache / "lectures" / "02_polynomial_regression.md").open("a").write("\n```{code-cell} ipython3\nprint(2)\n```\n")
    output = tmp_path / "output"
    result = run_tool(copy_with_cache, "plan", "--max-shards", "4", GITHUB_OUTPUT=str(output), COURSEBOOK_GPU_RUNNER="nnstep-gpu")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split("=", 1) for line in output.read_text().splitlines())
    matrix = json.loads(lines["matrix"])["include"]
    assert lines["shards"] == "2" and [m["runner"] for m in matrix] == ["ubuntu-latest", "nnstep-gpu"]
    assert relpath in result.stdout.splitlines()[-1] and "02_polynomial_regression" in result.stdout.splitlines()[-2]


def test_make_execute_and_make_book_take_the_shares(tmp_path):
    dry = subprocess.run(
        ["make", "-n", "execute", "SHARD=2/3", f"SHARD_DIR={tmp_path}", "book", f"SHARDS={tmp_path}/a {tmp_path}/b"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert f"coursebook execute --shard 2/3 --dir {tmp_path}" in dry.stdout
    assert f"coursebook build --shards {tmp_path}/a {tmp_path}/b" in dry.stdout
