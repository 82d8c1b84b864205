"""MigrationDesk's Alembic export helper: loads an Alembic project through Alembic's own
ScriptDirectory and renders each revision's upgrade() and downgrade() separately in offline mode.

Run by `migrationdesk-cli import-alembic` (compiled into the program as a Qt resource and handed to
the interpreter with -c). Prints one JSON document on stdout; never connects to a database and never
runs env.py. Exit codes: 0 done, 3 Alembic is not importable, 4 the project cannot be loaded.
"""
import contextlib
import io
import json
import os
import re
import sys
import traceback

# Calls that mean the revision reads the database or branches on offline mode: its offline SQL
# would not be what Alembic runs online.
ONLINE_ONLY = re.compile(r"\b(get_bind|inspect|Session|sessionmaker|is_offline_mode|as_sql|fetchall|fetchone|"
                         r"scalar|execute\s*\(\s*sa\.select|execute\s*\(\s*select)\b")
BARE_SELECT = re.compile(r"^\s*(\(\s*)*SELECT\b", re.IGNORECASE)


def fail(code, message):
    json.dump({"error": message}, sys.stdout)
    sys.stdout.write("\n")
    sys.exit(code)


try:
    import alembic
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from alembic.script import ScriptDirectory
except Exception as exc:  # ImportError, or a broken install
    fail(3, "alembic is not importable by %s: %s" % (sys.executable, exc))


class StatementSink:
    """The offline output buffer: Alembic writes one statement per write() call, terminated by
    ';' and a blank line. A text passed to op.execute() that already ends in ';' arrives as ';;'."""

    def __init__(self):
        self.statements = []

    def write(self, text):
        stmt = text.rstrip()
        while stmt.endswith(";"):
            stmt = stmt[:-1].rstrip()
        if stmt:
            self.statements.append(stmt + ";")

    def flush(self):
        pass


def render(script, direction):
    """(statements, autocommit_used, error)"""
    sink = StatementSink()
    ctx = MigrationContext.configure(
        dialect_name="postgresql",
        opts={"as_sql": True, "literal_binds": True, "output_buffer": sink,
              "transaction_per_migration": False},
    )
    # SQLAlchemy doubles backslashes in literals unless it has seen standard_conforming_strings=on
    # on a live connection; PostgreSQL has had it on by default since 9.1, and the online run
    # stores one backslash.
    if hasattr(ctx.dialect, "_backslash_escapes"):
        ctx.dialect._backslash_escapes = False
    used_autocommit = []

    @contextlib.contextmanager
    def autocommit_block():
        used_autocommit.append(True)
        yield

    ctx.autocommit_block = autocommit_block
    fn = getattr(script.module, direction, None)
    if fn is None:
        return [], False, "the module has no %s() function" % direction
    try:
        with Operations.context(ctx):
            fn()
    except Exception as exc:
        return sink.statements, bool(used_autocommit), "%s: %s" % (type(exc).__name__, str(exc).strip().splitlines()[0] if str(exc).strip() else "")
    return sink.statements, bool(used_autocommit), None


def as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def main(argv):
    if len(argv) < 1:
        fail(4, "usage: alembicexport.py PATH/alembic.ini")
    path = argv[0]
    ini = os.path.join(path, "alembic.ini") if os.path.isdir(path) else path
    if not os.path.isfile(ini):
        fail(4, "no alembic.ini at %s" % path)
    # Alembic resolves script_location and %(here)s against the ini file; prepend_sys_path against
    # the working directory, as when the team runs `alembic` next to its alembic.ini.
    os.chdir(os.path.dirname(os.path.abspath(ini)))
    try:
        cfg = Config(os.path.abspath(ini))
        directory = ScriptDirectory.from_config(cfg)
        # Alembic's own load order (its revision map's order), which breaks ties in its plans
        revisions = list(directory._load_revisions())
        heads = list(directory.get_heads())
    except Exception as exc:
        fail(4, "cannot load the Alembic project: %s: %s" % (type(exc).__name__, exc))

    out = []
    for script in revisions:
        source = ""
        try:
            with io.open(script.path, encoding="utf-8") as f:
                source = f.read()
        except Exception:
            pass
        doc = script.module.__doc__ or ""
        message = doc.strip().splitlines()[0].strip() if doc.strip() else ""
        created = ""
        m = re.search(r"^Create Date:\s*(.+)$", doc, re.MULTILINE)
        if m:
            created = m.group(1).strip()
        entry = {
            "revision": script.revision,
            "down_revisions": as_list(script.down_revision),
            # the revision's own labels, not the ones the map spread to it
            "branch_labels": list(getattr(script, "_orig_branch_labels", ()) or ()),
            "depends_on": as_list(script.dependencies),
            "message": message,
            "created": created,
            "path": script.path,
            "source": source,
        }
        reasons = []
        code_only = re.sub(r'"""[\s\S]*?"""', "", source, count=1)
        hit = ONLINE_ONLY.search(code_only)
        if hit:
            reasons.append("the module calls %s, which needs a live database" % hit.group(1))
        transactional = True
        for direction in ("upgrade", "downgrade"):
            statements, autocommit, error = render(script, direction)
            if autocommit:
                transactional = False
            if error:
                reasons.append("%s() cannot be rendered offline: %s" % (direction, error))
            for s in statements:
                if BARE_SELECT.match(s):
                    reasons.append("%s() renders a bare SELECT, whose rows the revision would use" % direction)
                    break
            entry[direction] = statements
        entry["transactional"] = transactional
        entry["needs_review"] = "; ".join(dict.fromkeys(reasons))
        out.append(entry)

    json.dump({
        "alembic_version": alembic.__version__,
        "python": sys.executable,
        "ini": os.path.abspath(ini),
        "heads": heads,
        "revisions": out,
    }, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
