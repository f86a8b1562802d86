#!/usr/bin/env python3
"""Write samples/sqlite-notes/sqlalchemy.log, the sqlite-notes app's query log, deterministically.

    python3 samples/tools/make_sqlite_notes_log.py            # rewrites the log
    python3 samples/tools/make_sqlite_notes_log.py --check    # exit 1 if the committed log differs

The log is what SQLAlchemy's engine echo (`create_engine("sqlite:///app.db", echo=True)`, Python
logging's "%(asctime)s %(levelname)s %(name)s %(message)s") writes while the FastAPI app serves
requests on SQLite through the pysqlite driver: the qmark paramstyle (`WHERE notes.user_id = ?`
with the values as a tuple on the next line, `[generated in ...]` the first time a statement is
compiled, `[cached since ...]` after), `BEGIN (implicit)` and `COMMIT` / `ROLLBACK` around each
request's session, multi-line SELECTs ("...\\nFROM notes \\nWHERE ..."), `SET title=?` without
spaces, and lazy loads written `WHERE ? = attachments.note_id`. uvicorn's access lines sit between
the requests. The statements are written as SQLAlchemy 1.4 / 2.0 renders them for SQLite (checked
against SQLAlchemy 1.4.46 compiling the same ORM queries). One upsert uses
`insert(...).prefix_with("OR REPLACE")`, SQLite syntax PostgreSQL's parser rejects.

The output depends only on this file: a fixed random seed, no clock, no environment.
What the log shows and the findings it must produce are in samples/sqlite-notes/README.md.
"""
import argparse
import os
import random
import sys
from datetime import datetime, timedelta

SAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sqlite-notes")
OUTPUT = os.path.join(SAMPLE, "sqlalchemy.log")

NOTE_COLUMNS = ("notes.id, notes.user_id, notes.title, notes.body, notes.metadata, notes.is_pinned, "
                "notes.is_archived, notes.created_at, notes.updated_at")

LIST_NOTES = ("SELECT " + NOTE_COLUMNS + " \nFROM notes \nWHERE notes.user_id = ? "
              "ORDER BY notes.updated_at DESC\n LIMIT ? OFFSET ?")
NOTE_TAGS_SELECTIN = ("SELECT notes_1.id AS notes_1_id, tags.id AS tags_id, tags.user_id AS tags_user_id, "
                      "tags.name AS tags_name, tags.color AS tags_color \nFROM notes AS notes_1 JOIN note_tags "
                      "AS note_tags_1 ON notes_1.id = note_tags_1.note_id JOIN tags ON tags.id = "
                      "note_tags_1.tag_id \nWHERE notes_1.id IN ({})")
NOTE_STATS_LAZY = ("SELECT note_stats.note_id AS note_stats_note_id, note_stats.word_count AS "
                   "note_stats_word_count, note_stats.read_count AS note_stats_read_count \nFROM note_stats "
                   "\nWHERE note_stats.note_id = ?")
LIST_TAGS = "SELECT tags.id, tags.user_id, tags.name, tags.color \nFROM tags \nWHERE tags.user_id = ? ORDER BY tags.name"
NOTES_WITH_TAG = ("SELECT " + NOTE_COLUMNS + " \nFROM notes JOIN note_tags AS note_tags_1 ON notes.id = "
                  "note_tags_1.note_id \nWHERE note_tags_1.tag_id = ? ORDER BY notes.updated_at DESC")
GET_NOTE = ("SELECT notes.id AS notes_id, notes.user_id AS notes_user_id, notes.title AS notes_title, "
            "notes.body AS notes_body, notes.metadata AS notes_metadata, notes.is_pinned AS notes_is_pinned, "
            "notes.is_archived AS notes_is_archived, notes.created_at AS notes_created_at, notes.updated_at "
            "AS notes_updated_at \nFROM notes \nWHERE notes.id = ?")
UPDATE_NOTE = "UPDATE notes SET title=?, body=?, updated_at=? WHERE notes.id = ?"
UPSERT_STATS = "INSERT OR REPLACE INTO note_stats (note_id, word_count, read_count) VALUES (?, ?, ?)"
ATTACHMENTS_LAZY = ("SELECT attachments.id AS attachments_id, attachments.note_id AS attachments_note_id, "
                    "attachments.filename AS attachments_filename, attachments.meta AS attachments_meta \n"
                    "FROM attachments \nWHERE ? = attachments.note_id")
MENTION = "SELECT users.id, users.display_name \nFROM users \nWHERE users.display_name LIKE ?\n LIMIT ? OFFSET ?"
GET_TAG = "SELECT tags.id, tags.user_id, tags.name, tags.color \nFROM tags \nWHERE tags.id = ? AND tags.user_id = ?"
DELETE_TAG = "DELETE FROM tags WHERE tags.id = ?"
CHANGED_SINCE = ("SELECT notes.id, notes.user_id, notes.title, notes.updated_at \nFROM notes \n"
                 "WHERE notes.updated_at > ? ORDER BY notes.updated_at\n LIMIT ? OFFSET ?")
LOGIN = ("SELECT users.id, users.email, users.display_name, users.settings, users.created_at \nFROM users \n"
         "WHERE lower(users.email) = lower(?)")

NAMES = ["mara", "matteo", "mathilde", "ken", "kenji", "lea", "leandro", "sam", "sami", "ana"]
WORDS = ["groceries", "standup notes", "reading list", "trip plan", "ideas", "recipes", "q3 goals",
         "journal", "meeting", "draft"]


def py_repr(values):
    """The tuple repr SQLAlchemy logs for qmark parameters."""
    return repr(tuple(values))


class Echo:
    def __init__(self):
        self.clock = datetime(2026, 3, 2, 9, 0, 0)
        self.lines = []
        self.compiled = {}  # statement -> clock when first compiled
        self.rng = random.Random(20260302)

    def tick(self, ms):
        self.clock += timedelta(milliseconds=ms)

    def stamp(self):
        return self.clock.strftime("%Y-%m-%d %H:%M:%S") + ",%03d" % (self.clock.microsecond // 1000)

    def engine(self, message):
        self.lines.append(f"{self.stamp()} INFO sqlalchemy.engine.Engine {message}")

    def execute(self, sql, values, cache_key=None):
        """One statement and its parameter line; `cache_key` is the statement before an IN list
        was expanded (SQLAlchemy caches the unexpanded form)."""
        self.tick(self.rng.randint(1, 3))
        self.engine(sql)
        key = cache_key or sql
        if key in self.compiled:
            since = (self.clock - self.compiled[key]).total_seconds()
            header = f"[cached since {since:.4g}s ago]"
        else:
            self.compiled[key] = self.clock
            header = f"[generated in {self.rng.randint(80, 400) / 1e5:.5f}s]"
        self.engine(f"{header} {py_repr(values)}")

    def request(self, method, path, status, body):
        self.tick(self.rng.randint(40, 900))
        self.engine("BEGIN (implicit)")
        ending = body()
        self.tick(self.rng.randint(1, 4))
        self.engine(ending)
        self.tick(1)
        port = self.rng.randint(50000, 60000)
        self.lines.append(f'{self.stamp()} INFO uvicorn.access 127.0.0.1:{port} - "{method} {path} HTTP/1.1" {status}')


def build():
    echo = Echo()
    rng = echo.rng
    updated = datetime(2026, 3, 1, 18, 0, 0)

    def when():
        return (updated + timedelta(minutes=rng.randint(0, 800))).strftime("%Y-%m-%d %H:%M:%S.%f")

    def login(user):
        def body():
            echo.execute(LOGIN, [f"{NAMES[user % len(NAMES)]}@example.com"])
            return "ROLLBACK"
        echo.request("POST", "/login", 200, body)

    def list_notes(user, lazy_stats):
        def body():
            echo.execute(LIST_NOTES, [user, 20, 0])
            ids = sorted(rng.sample(range(user * 100, user * 100 + 60), rng.randint(4, 8)))
            echo.execute(NOTE_TAGS_SELECTIN.format(", ".join("?" * len(ids))), ids, NOTE_TAGS_SELECTIN)
            if lazy_stats:  # the template reads note.stats.word_count: one lazy load per note
                for note in ids:
                    echo.execute(NOTE_STATS_LAZY, [note])
            return "ROLLBACK"
        echo.request("GET", "/notes", 200, body)

    def list_tags(user):
        def body():
            echo.execute(LIST_TAGS, [user])
            return "ROLLBACK"
        echo.request("GET", "/tags", 200, body)

    def notes_with_tag(user, tag):
        def body():
            echo.execute(GET_TAG, [tag, user])
            echo.execute(NOTES_WITH_TAG, [tag])
            return "ROLLBACK"
        echo.request("GET", f"/tags/{tag}/notes", 200, body)

    def edit_note(user, note):
        def body():
            echo.execute(GET_NOTE, [note])
            echo.execute(ATTACHMENTS_LAZY, [note])
            words = rng.randint(20, 900)
            echo.execute(UPDATE_NOTE, [rng.choice(WORDS), "lorem " * 3, when(), note])
            echo.execute(UPSERT_STATS, [note, words, rng.randint(0, 40)])
            return "COMMIT"
        echo.request("PUT", f"/notes/{note}", 200, body)

    def mention(prefix):
        def body():
            echo.execute(MENTION, [prefix + "%", 10, 0])
            return "ROLLBACK"
        echo.request("GET", f"/users/autocomplete?q={prefix}", 200, body)

    def delete_tag(user, tag):
        def body():
            echo.execute(GET_TAG, [tag, user])
            echo.execute(DELETE_TAG, [tag])
            return "COMMIT"
        echo.request("DELETE", f"/tags/{tag}", 204, body)

    def export_changes(after, batch):
        def body():
            echo.execute(CHANGED_SINCE, [after, batch, 0])
            return "ROLLBACK"
        echo.request("GET", "/internal/export?since=" + after[:10], 200, body)

    users = [3, 5, 8, 13]
    for round_number in range(6):
        for user in users:
            if round_number == 0:
                login(user)
            list_notes(user, lazy_stats=(round_number % 3 == 0))
            list_tags(user)
            tag = user * 10 + rng.randint(1, 6)
            notes_with_tag(user, tag)
            if rng.random() < 0.6:
                edit_note(user, user * 100 + rng.randint(0, 59))
            if rng.random() < 0.4:
                mention(rng.choice(["ma", "ke", "le", "sa"]))
        if round_number % 2 == 1:
            export_changes("2026-03-01 00:00:00.000000", 500)
    delete_tag(5, 53)
    return "\n".join(echo.lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed log, write nothing")
    args = ap.parse_args()
    text = build()
    if args.check:
        with open(OUTPUT) as f:
            if f.read() != text:
                print(f"{OUTPUT} differs from what {os.path.basename(__file__)} writes", file=sys.stderr)
                return 1
        print(f"{OUTPUT} is up to date")
        return 0
    with open(OUTPUT, "w") as f:
        f.write(text)
    print(f"wrote {OUTPUT}: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
