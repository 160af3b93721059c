"""The build cache: a rendered target is reused when nothing it reads has changed, and its files are still there.

A target (one course, locale and format) is keyed by a SHA-256 of everything its renderer
reads: the translated course it is given (module text, the course configuration and every
translation already applied, written out field by field), the module folders (sources and
images), the course folder (its configuration and templates), the project's templates, the
project's catalogs of its locale, pimlearn's own files (code, templates, built-in catalogs)
and the versions of Python and of pimlearn's dependencies. Modification times never decide anything.

Records live in ``<output folder>/.pimlearn-cache/``, one JSON file per key, listing each
file the target wrote with its SHA-256, and the target's warnings. A record is written only
after the writer has committed the build, and a hit is trusted only when every file it lists
is in the output folder with those exact bytes: a record that is unreadable, from another
cache version, or whose files were changed or removed is a miss, and the target is rendered
again. ``--force`` ignores every record.

Jobs (pieces of a target: the layout of one module of the facilitator guide) are keyed by
their own input (the job's key, which hashes its arguments) and the environment; their
results are kept under ``jobs/``, each with the SHA-256 it must have, so a target whose
module changed lays out that module again and takes the others from here.

A whole build has a record too, keyed by every file a build reads (the project's
``courses/``, ``modules/``, ``locales/`` and ``templates/``, with the newest modification
time there, since the guide's date comes from it), the options and the environment: when
it matches and every file under the course folders it wrote is still exactly as written
(no file changed, gone or added), the build does nothing at all: no loading, no
translating, no rendering.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from enum import Enum
from functools import cache
from importlib import metadata
from pathlib import Path, PurePath

from ..diagnostics import Diagnostic
from ..formats import JobResult
from ..model import Loc
from .artifact import Artifact
from .transaction import STAGING

CACHE_DIR = ".pimlearn-cache"
"""The cache folder's name inside the output folder."""

JOBS = "jobs"
"""The cache's sub-folder of job results."""

_VERSION = 1
"""Bumped when a record's layout or the key's recipe changes: older records are then misses."""

_PACKAGE = Path(__file__).resolve().parent.parent


def stable_bytes(value: object) -> bytes:
    """A canonical encoding of a model value (dataclasses, tuples, sets, paths): equal values give equal bytes.

    ``repr`` is not enough: a frozenset's order depends on the process's hash seed.
    """
    out: list[str] = []
    _encode(value, out)
    return "".join(out).encode("utf-8", "surrogatepass")


def _encode(value: object, out: list[str]) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__qualname__ + "(")
        for f in dataclasses.fields(value):
            out.append(f.name + "=")
            _encode(getattr(value, f.name), out)
            out.append(",")
        out.append(")")
    elif isinstance(value, (tuple, list)):
        out.append("[")
        for item in value:
            _encode(item, out)
            out.append(",")
        out.append("]")
    elif isinstance(value, (set, frozenset)):
        parts = sorted(stable_bytes(item).decode("utf-8", "surrogatepass") for item in value)
        out.append("{" + ",".join(parts) + "}")
    elif isinstance(value, dict):
        parts = sorted(
            stable_bytes(k).decode("utf-8", "surrogatepass") + ":" + stable_bytes(v).decode("utf-8", "surrogatepass")
            for k, v in value.items()
        )
        out.append("{" + ",".join(parts) + "}")
    elif isinstance(value, Enum):
        out.append(repr(value.value))
    elif isinstance(value, PurePath):
        out.append(repr(str(value)))
    elif value is None or isinstance(value, (str, int, float, bool, bytes)):
        out.append(repr(value))
    else:  # anything else has no canonical form: never let it into a key silently
        raise TypeError(f"cannot key a build cache on a {type(value).__name__}")


def _hash_tree(digest: hashlib._Hash, folder: Path, skip_suffixes: tuple[str, ...] = ()) -> int:
    """Feed every file under ``folder`` (relative name and bytes, in sorted order) to ``digest``.

    Returns the newest modification time there (ns; 0 for none).
    """
    if not folder.is_dir():
        digest.update(b"\0absent\0")
        return 0
    newest = 0
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts or path.name.endswith(skip_suffixes) or not path.is_file():
            continue
        digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
        newest = max(newest, path.stat().st_mtime_ns)
    return newest


BUILD_INPUTS = ("courses", "modules", "locales", "templates")
"""The project folders a build reads (``load``, ``i18n`` and the renderers read nothing else of the project)."""


def diagnostic_json(d: Diagnostic) -> dict[str, object]:
    """A diagnostic as a JSON object (for records)."""
    return {
        "path": d.loc.path,
        "line": d.loc.line,
        "col": d.loc.col,
        "severity": d.severity,
        "message": d.message,
        "code": d.code,
    }


def diagnostic_from_json(d: dict[str, object]) -> Diagnostic:
    """The diagnostic ``diagnostic_json`` wrote (raises ``KeyError``/``TypeError``/``ValueError`` when damaged)."""
    severity = d["severity"]
    if severity not in ("error", "warning"):
        raise ValueError(f"unknown severity {severity!r}")
    line, col = d["line"], d["col"]
    if not isinstance(line, int) or not isinstance(col, int):
        raise TypeError("line and column must be numbers")
    return Diagnostic(Loc(str(d["path"]), line, col), severity, str(d["message"]), str(d["code"]))


@cache
def environment_key() -> str:
    """pimlearn's own files, Python's version and the installed versions of pimlearn's dependencies."""
    digest = hashlib.sha256(f"cache {_VERSION}\0python {sys.version}\0".encode())
    # Compiled catalogs (.mo) are made from the .po files hashed here, possibly during a build.
    _hash_tree(digest, _PACKAGE, skip_suffixes=(".mo", ".pyc"))
    try:
        requirements = metadata.requires("pimlearn") or []
    except metadata.PackageNotFoundError:
        requirements = []
    for requirement in sorted(requirements):
        name = requirement.split(";")[0].split("[")[0]
        for sep in "<>=!~ ":
            name = name.split(sep)[0]
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()


class BuildCache:
    """Records of the targets rendered into one output folder, and the keys of this build's targets."""

    def __init__(self, root: Path, out_dir: Path, enabled: bool = True) -> None:
        self.root = root
        self.folder = out_dir / CACHE_DIR
        self.out_dir = out_dir
        self.enabled = enabled
        self._trees: dict[str, bytes] = {}
        self._contexts: dict[int, tuple[object, bytes]] = {}

    def _tree(self, rel: str) -> bytes:
        """The hash of a project folder, computed once per build."""
        if rel not in self._trees:
            digest = hashlib.sha256()
            _hash_tree(digest, self.root / rel, skip_suffixes=(".mo",))
            self._trees[rel] = digest.digest()
        return self._trees[rel]

    def _context_hash(self, context: object) -> bytes:
        """The hash of a render context, computed once for all the formats that share it."""
        known = self._contexts.get(id(context))
        if known is None or known[0] is not context:
            known = (context, hashlib.sha256(stable_bytes(context)).digest())  # holding it keeps its id unique
            self._contexts[id(context)] = known
        return known[1]

    def key(self, context: object, format_name: str, course_dir: str, module_dirs: Iterable[str], locale: str) -> str:
        """The key of one target: ``context`` is everything the renderer is given, the folders what it may read."""
        digest = hashlib.sha256(environment_key().encode() + b"\0" + format_name.encode() + b"\0")
        digest.update(self._context_hash(context))
        folders = ["templates", *([course_dir] if course_dir else []), *module_dirs]
        # A catalog is read by the targets of its locale only (and of the locales falling back to it).
        language = locale.replace("-", "_").split("_")[0]
        folders += [f"locales/{name}" for name in dict.fromkeys((locale, locale.replace("-", "_"), language))]
        for rel in folders:
            digest.update(rel.encode("utf-8", "surrogateescape") + b"\0" + self._tree(rel))
        return digest.hexdigest()

    def load(self, key: str) -> tuple[tuple[Artifact, ...], tuple[Diagnostic, ...], tuple[str, ...]] | None:
        """The target's artifacts (read back from the output folder), warnings and owned folders; None on a miss.

        Anything unexpected (no record, an unreadable or foreign one, a file changed or gone) is a miss.
        """
        if not self.enabled:
            return None
        try:
            record = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            if record.get("version") != _VERSION or record.get("key") != key:
                return None
            artifacts = []
            for path, sha, size in record["files"]:
                target = self.out_dir / path
                if not isinstance(path, str) or ".." in PurePath(path).parts or target.stat().st_size != size:
                    return None
                data = target.read_bytes()
                if hashlib.sha256(data).hexdigest() != sha:
                    return None
                artifacts.append(Artifact(path, data))
            diagnostics = tuple(diagnostic_from_json(d) for d in record["diagnostics"])
            owned = tuple(str(o) for o in record["owned"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return tuple(artifacts), diagnostics, owned

    def store(
        self, key: str, artifacts: Iterable[Artifact], diagnostics: Iterable[Diagnostic], owned: Iterable[str]
    ) -> None:
        """Record a target the writer has just committed (atomically; a failure only costs a later re-render)."""
        record = {
            "version": _VERSION,
            "key": key,
            "files": [[a.path, hashlib.sha256(a.data).hexdigest(), len(a.data)] for a in artifacts],
            "diagnostics": [diagnostic_json(d) for d in diagnostics],
            "owned": list(owned),
        }
        self._write(key, record)

    def _write(self, name: str, record: dict[str, object]) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".record.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(record, handle)
                os.replace(tmp, self.folder / f"{name}.json")
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _job_path(self, key: str) -> Path:
        digest = hashlib.sha256(f"job\0{environment_key()}\0{key}".encode()).hexdigest()
        return self.folder / JOBS / digest

    def load_job(self, key: str) -> JobResult | None:
        """An earlier result of the job ``key`` (None on a miss, or when it is damaged or ``--force`` is given)."""
        if not self.enabled:
            return None
        path = self._job_path(key)
        try:
            record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            data = path.with_suffix(".bin").read_bytes()
            if record.get("version") != _VERSION or record.get("sha256") != hashlib.sha256(data).hexdigest():
                return None
            return JobResult(data, tuple(str(m) for m in record["messages"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def store_job(self, key: str, result: JobResult) -> None:
        """Keep a job's result (after the build that made it is written: nothing claims an unwritten output)."""
        path = self._job_path(key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".job.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(result.data)
                os.replace(tmp, path.with_suffix(".bin"))
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            # The record last: a result without its record is a miss.
            digest = hashlib.sha256(result.data).hexdigest()
            self._write(
                f"{JOBS}/{path.name}", {"version": _VERSION, "sha256": digest, "messages": list(result.messages)}
            )

    def build_key(self, options: object) -> str:
        """The key of a whole build: every project file a build reads, their newest time, the options, pimlearn."""
        digest = hashlib.sha256(f"build\0{environment_key()}\0".encode())
        digest.update(hashlib.sha256(stable_bytes(options)).digest())
        newest = 0
        for rel in BUILD_INPUTS:
            digest.update(rel.encode() + b"\0")
            newest = max(newest, _hash_tree(digest, self.root / rel, skip_suffixes=(".mo",)))
        digest.update(f"newest {newest}\0SOURCE_DATE_EPOCH {os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
        return "build-" + digest.hexdigest()

    def load_build(self, key: str) -> dict[str, object] | None:
        """The record of an earlier build with this key, when every file it wrote is still exactly there."""
        if not self.enabled or (self.out_dir / STAGING).exists():  # a killed run's switch is undone by a real build
            return None
        try:
            record = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            if not isinstance(record, dict) or record.get("version") != _VERSION or record.get("key") != key:
                return None
            files: dict[str, str] = record["files"]
            found = {
                p.relative_to(self.out_dir).as_posix()
                for folder in record["folders"]
                for p in (self.out_dir / str(folder)).rglob("*")
                if not p.is_dir()
            }
            if not found <= set(files):
                return None  # a file a real build would prune
            for path, sha in files.items():
                if (
                    ".." in PurePath(path).parts
                    or hashlib.sha256((self.out_dir / path).read_bytes()).hexdigest() != sha
                ):
                    return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return record

    def store_build(self, key: str, files: dict[str, str], folders: Iterable[str], payload: dict[str, object]) -> None:
        """Record a committed build: the SHA-256 of every file under its course ``folders`` and outside them."""
        self._write(key, {"version": _VERSION, "key": key, "files": files, "folders": list(folders), **payload})

    def prune(self, keep: Iterable[str], jobs: Iterable[str] = ()) -> None:
        """Remove every record but ``keep`` and every job result but ``jobs`` (after a complete build)."""
        wanted = {f"{k}.json" for k in keep}
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in wanted and path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()
        kept = {self._job_path(key).name for key in jobs}
        with contextlib.suppress(OSError):
            for path in (self.folder / JOBS).iterdir():
                if path.name.split(".")[0] not in kept:
                    with contextlib.suppress(OSError):
                        path.unlink()
