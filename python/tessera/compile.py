"""Turns a folder of Python definitions into the files ``tessera register`` takes (as Chronon's compile).

    python -m tessera compile features/ --out compiled/
    bin/tessera register compiled/

Every ``*.py`` file under the folder is imported (the folder is put first on ``sys.path``, so the
files may import each other: a Join module imports the GroupBys it joins). Each GroupBy and Join a
module defines at its top level is written as canonical JSON to ``<out>/group_bys/<name>.json`` or
``<out>/joins/<name>.json``; one without ``name=`` is named after its variable. Older ``.json``
files in those two folders are removed, so the output is exactly the folder's definitions.
"""

import argparse
import importlib
import pathlib
import sys

from tessera.definitions import GroupBy, Join

SUBFOLDERS = {GroupBy.kind: "group_bys", Join.kind: "joins"}


class CompileError(Exception):
    """Every problem of a compile, one a line."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def load(folder):
    """The GroupBys and Joins defined in the Python files under ``folder``, named, in file order."""
    root = pathlib.Path(folder).resolve()
    if not root.is_dir():
        raise CompileError([f"no such folder: {folder}"])
    files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts and p != root / "__init__.py")
    if not files:
        raise CompileError([f"no Python files in {folder}"])
    names = [_module_name(root, f) for f in files]
    # a fresh import of every file: a notebook that edits a definition and compiles again sees the edit
    _forget(names)
    sys.path.insert(0, str(root))
    problems = []
    found = []
    try:
        for f, module_name in zip(files, names):
            try:
                module = importlib.import_module(module_name)
            except Exception as e:  # a user's file: report it and keep going to report the others
                problems.append(f"{f}: cannot import: {type(e).__name__}: {e}")
                continue
            for variable, value in vars(module).items():
                # what a module imports from another is that module's: named and written once, there
                if isinstance(value, (GroupBy, Join)) and value._module == module.__name__ and all(value is not o for o, _ in found):
                    if not value.name:
                        value.name = variable
                    found.append((value, f))
    finally:
        sys.path.remove(str(root))
        _forget(names)
    if problems:
        raise CompileError(problems)
    return found


def _module_name(root, f):
    parts = f.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def _forget(names):
    for name in names:
        sys.modules.pop(name, None)


def compile_folder(folder, out):
    """Writes the folder's definitions to ``out``; returns the files written. Raises CompileError listing every problem."""
    found = load(folder)
    documents = {}
    problems = []
    for definition, source in found:
        target = pathlib.Path(out) / SUBFOLDERS[definition.kind] / f"{definition.name}.json"
        if target in documents:
            problems.append(f"{source}: {definition.kind} '{definition.name}' is defined twice")
            continue
        try:
            documents[target] = definition.to_json() + "\n"
        except (ValueError, TypeError) as e:
            problems.append(f"{source}: {definition.kind} '{definition.name}': {e}")
    if problems:
        raise CompileError(problems)
    for sub in SUBFOLDERS.values():
        folder_out = pathlib.Path(out) / sub
        folder_out.mkdir(parents=True, exist_ok=True)
        for stale in folder_out.glob("*.json"):
            if stale not in documents:
                stale.unlink()
    for target, text in documents.items():
        target.write_text(text, encoding="utf-8")
    return list(documents)


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "compile":
        args = args[1:]
    parser = argparse.ArgumentParser(prog="python -m tessera compile",
                                     description="Write the GroupBys and Joins of a folder of Python files as JSON for 'tessera register'.")
    parser.add_argument("folder", help="folder of *.py files defining GroupBys and Joins")
    parser.add_argument("--out", required=True, help="output folder (its group_bys/ and joins/ are rewritten)")
    options = parser.parse_args(args)
    try:
        written = compile_folder(options.folder, options.out)
    except CompileError as e:
        for p in e.problems:
            print(f"error: {p}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    print(f"{len(written)} definitions; publish them with: bin/tessera register {options.out}", file=sys.stderr)
    return 0
