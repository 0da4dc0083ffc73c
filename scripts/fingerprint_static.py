"""Give every file in static/ a content-hashed copy, a manifest and .br/.gz siblings.

Run by `make install` after `npm run build` (so static/css/main.css and static/govuk/
exist):

    static/css/main.css       -> static/css/main.<12 hex>.css        (+ .br, .gz)
    static/js/app.mjs         -> static/js/app.<12 hex>.mjs          (+ .br, .gz)
    ...
    static/staticfiles.json      {"files": {"css/main.css": "css/main.<hash>.css", ...},
                                  "sources": {"css/main.css": "<md5 of the source>", ...}}

References between files are rewritten in the hashed copies before they are hashed:
``url(/static/...)`` and relative ``url(...)`` in CSS, ``import ... from '...'`` and
``import('...')`` in JavaScript modules, so a hashed stylesheet loads hashed images and
a hashed module imports hashed modules (every file can then be cached for a year).
The unhashed files stay where they are and are still served (with a short cache).

Compression is WhiteNoise's own (``whitenoise.compress``: gzip, and Brotli through the
``Brotli`` package); it skips formats that are already compressed and keeps a
compressed file only when it is clearly smaller. Idempotent: earlier outputs are
removed first.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path, PurePosixPath

from whitenoise.compress import Compressor

MANIFEST = "staticfiles.json"
URL_PREFIX = "/static/"
HASHED = re.compile(r"\.[0-9a-f]{12}\.[^./]+$")
NOT_HASHED = re.compile(r"(\.map|\.gz|\.br)$")
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
JS_IMPORT = re.compile(
    r"""((?:\bimport|\bexport)\b[^'";]*?\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"']+)\2"""
)


def _references(path: Path, text: str):
    """(start, end, specifier) of every reference to another file in ``text``."""
    if path.suffix == ".css":
        for m in CSS_URL.finditer(text):
            yield m.start(2), m.end(2), m.group(2)
    elif path.suffix in {".mjs", ".js"}:
        for m in JS_IMPORT.finditer(text):
            yield m.start(3), m.end(3), m.group(3)


def _target(root: Path, path: Path, spec: str) -> str | None:
    """The static-relative name ``spec`` points at, or None (data:, http:, bare)."""
    bare = re.split(r"[?#]", spec, maxsplit=1)[0]
    if bare.startswith(URL_PREFIX):
        name = bare[len(URL_PREFIX) :]
    elif bare.startswith(("./", "../")):
        rel = path.parent.relative_to(root).as_posix()
        parts: list[str] = [] if rel == "." else rel.split("/")
        for part in bare.split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in {".", ""}:
                parts.append(part)
        name = "/".join(parts)
    else:
        return None
    return name if (root / name).is_file() else None


def _hashed_name(name: str, content: bytes) -> str:
    p = PurePosixPath(name)
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()[:12]
    return str(p.with_name(f"{p.stem}.{digest}{p.suffix}"))


def build(root: Path) -> dict[str, str]:
    for old in list(root.rglob("*")):
        if old.is_file() and (
            HASHED.search(old.name.removesuffix(".gz").removesuffix(".br"))
            or old.suffix in {".gz", ".br"}
            or old.name == MANIFEST
        ):
            old.unlink()
    sources = {
        p.relative_to(root).as_posix(): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and not NOT_HASHED.search(p.name)
    }
    texts: dict[str, str] = {}
    deps: dict[str, set[str]] = {}
    for name, path in sources.items():
        deps[name] = set()
        if path.suffix in {".css", ".mjs", ".js"}:
            texts[name] = path.read_text(encoding="utf-8")
            for _s, _e, spec in _references(path, texts[name]):
                target = _target(root, path, spec)
                if target in sources and target != name:
                    deps[name].add(target)

    hashed: dict[str, str] = {}

    def visit(name: str, stack: tuple[str, ...] = ()) -> None:
        if name in hashed:
            return
        if name in stack:
            raise SystemExit(f"fingerprint_static: circular reference through {name}")
        for dep in sorted(deps[name]):
            visit(dep, (*stack, name))
        path = sources[name]
        if name in texts:
            text = texts[name]
            out, last = [], 0
            for start, end, spec in _references(path, text):
                target = _target(root, path, spec)
                if target in hashed and target != name:
                    old_base = PurePosixPath(target).name
                    new_base = PurePosixPath(hashed[target]).name
                    bare = re.split(r"[?#]", spec, maxsplit=1)[0]
                    if bare.endswith(old_base):
                        spec = bare[: -len(old_base)] + new_base + spec[len(bare) :]
                out.append(text[last:start] + spec)
                last = end
            out.append(text[last:])
            content = "".join(out).encode("utf-8")
        else:
            content = path.read_bytes()
        hashed[name] = _hashed_name(name, content)
        (root / hashed[name]).write_bytes(content)

    for name in sources:
        visit(name)

    compressor = Compressor(quiet=True)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if compressor.should_compress(path.name) and not NOT_HASHED.search(path.name):
            for _ in compressor.compress(str(path)):
                pass

    manifest = {
        "files": hashed,
        "sources": {
            n: hashlib.md5(p.read_bytes(), usedforsecurity=False).hexdigest()
            for n, p in sources.items()
        },
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return hashed


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "static").resolve()
    hashed = build(root)
    print(f"fingerprint_static: {len(hashed)} files hashed, compressed, listed in {MANIFEST}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
