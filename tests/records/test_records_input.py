"""Reading what schools export: the cell parsers (hypothesis), and CSV files as Excel writes them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compass_cli.core.records import spreadsheets
from compass_cli.core.records.spreadsheets import (
    CHUNK,
    MAX_CELL,
    MAX_DAYS,
    MAX_ROW,
    YesNo,
    label_key,
    open_csv,
    parse_date,
    parse_days,
    parse_yes_no,
)
from compass_cli.errors import InputError

from .conftest import records

DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))


@given(DATES)
def test_iso_and_british_dates_read_back(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_date(day.strftime("%d-%m-%Y")) == day
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(day.strftime("%d/%m/%Y 00:00")) == day  # Excel adds a time
    assert parse_date(f" {day.isoformat()}T09:30:00 ") == day


@given(DATES.filter(lambda d: d.day > 12))
def test_american_dates_are_never_read(day):
    with pytest.raises(ValueError, match="day first"):
        parse_date(day.strftime("%m/%d/%Y"))


@given(DATES.filter(lambda d: d.day <= 12 and d.day != d.month))
def test_an_ambiguous_date_is_read_day_first(day):
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.strftime("%m/%d/%Y")) != day


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_a_value_error(text):
    try:
        assert isinstance(parse_date(text), dt.date)
    except ValueError as exc:
        assert str(exc)


@pytest.mark.parametrize("text", ["31/02/2026", "2026-02-29", "00/01/2026", "12/13/2026", "1/1/26", "2026/01/01",
                                  "yesterday", ""])
def test_impossible_and_unreadable_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.sampled_from(["yes", "Y", "TRUE", "1", " yes "]), st.sampled_from(["no", "N", "false", "0", "", "  "]))
def test_yes_and_no(yes, no):
    assert parse_yes_no(yes) is True
    assert parse_yes_no(no) is False


@given(st.text(max_size=10).filter(lambda t: t.strip().lower() not in {"yes", "y", "true", "1", "no", "n", "false",
                                                                       "0", ""}))
def test_anything_else_is_not_yes_or_no(text):
    with pytest.raises(ValueError, match="not yes or no"):
        parse_yes_no(text)


@given(st.integers(min_value=0, max_value=2 * MAX_DAYS))
def test_days_in_half_days(halves):
    days = halves / 2
    assert parse_days(f"{days:g}") == days
    assert parse_days(f"{days:g}".replace(".", ",")) == days


@pytest.mark.parametrize("text", ["-1", "31", "nan", "inf", "five", "1.5.2"])
def test_negative_absurd_and_unreadable_days(text):
    with pytest.raises(ValueError):
        parse_days(text)


def test_labels_compare_in_any_case_with_spaces_or_hyphens():
    assert label_key(" Employer Encounter ") == label_key("employer-encounter") == "employer_encounter"


# --------------------------------------------------------------------------- whole files

CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12)


@settings(deadline=None)  # a file written and read per example: a busy machine is no failure
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=8), st.sampled_from([",", ";"]),
       st.sampled_from(["\r\n", "\n"]), st.booleans())
def test_what_a_csv_writer_writes_is_read_back(tmp_path_factory, rows, delimiter, newline, bom):
    folder = tmp_path_factory.mktemp("csv")
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator=newline).writerows([["Pupil ID", "Notes"], *rows])
    path = folder / "file.csv"
    path.write_text(text.getvalue(), encoding="utf-8-sig" if bom else "utf-8", newline="")
    opened = open_csv(path, ("pupil_id", "notes"), (), {})
    try:
        got = [row for row in opened.rows()]
    finally:
        opened.close()
    assert [tuple(r) for r in got] == [tuple(r) for r in rows]


#: Text for the property below: separators, quotes, every line ending, and characters some
#: readers take for line endings (vertical tab, U+2028) or choke on (NUL).
CSV_TEXT = st.lists(st.sampled_from(["a", "b", " ", ",", ";", '"', '""', "\n", "\r", "\r\n", "é", "\x0b", "\u2028",
                                     "\x00", "\t"]), max_size=60).map("".join)


@settings(deadline=None)
@given(CSV_TEXT, st.sampled_from([",", ";"]), st.sampled_from([1, 2, 3, 5, 7, CHUNK]))
@example('P1,"a note\nover two lines",yes\r\n\r\nP2;"x";\rP3,b', ",", CHUNK)
@example('"P1","a;b",""\r\n"P2","say ""hi""",""\n"P3","a\n","b"\n"P4" ,"x"\n"P5"\n"\n"\n', ";", CHUNK)
@example('"P1","a;b",""\r\n"P2","say ""hi""",""\n"P3","a\n","b"\n"P4" ,"x"\n"P5"\n"\n"\n', ",", CHUNK)
@example('P1,"a note\nover two lines",yes\r\n\r\nP2;"x";\rP3,b', ",", 3)
@example("a\r\nb\rc\r\r\nd\n\re", ",", 2)  # a chunk ends between \r and \n
@example("a\r\nb\rc\r\r\nd\n\re", ",", 1)
@example("a\x0bb,c\u2028d\r\ne\x85f\x1c,\x0c\n", ",", 2)  # splitlines would split at these; csv does not
@example('"a\r\nb",c\r"d\x0b\re"\r\n', ",", 3)
@example('P1,x,"c,d"\r\n"P2","y","e;f"\n', ",", CHUNK)  # a last cell that holds the separator
@example('P1;x;"c;d"\r\n"P2";"y";"e,f"\n', ";", CHUNK)
def test_rows_and_their_lines_are_what_csv_reader_reads(tmp_path_factory, body, delimiter, chunk):
    """Lines without a quote, and lines whose every cell is quoted, are split in fast paths of our
    own; anything else goes to csv.reader. The file is read ``chunk`` characters at a time and
    split into lines by us. Whatever the text, the rows and the line each begins on are
    csv.reader's; and read with the cells after the first two as one, they are the same cells."""
    path = tmp_path_factory.mktemp("csv") / "file.csv"
    path.write_text(f"pupil_id{delimiter}notes\n" + body, encoding="utf-8", newline="")
    expected, before = [], 1
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    for row in reader:
        expected.append((before + 1, row))
        before = reader.line_num + 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spreadsheets, "CHUNK", chunk)
        opened = open_csv(path, ("pupil_id", "notes"), (), {})
        try:
            got = [(opened.line, row) for row in opened.rows()]
        finally:
            opened.close()
        opened = open_csv(path, ("pupil_id", "notes"), (), {})
        try:  # the cells after the first two as one: the rest of the line, or a tuple where csv.reader read it
            rests = [(opened.line, row) for row in opened.rows(2)]
        finally:
            opened.close()
    assert got == expected
    assert [(line, [*row[:2], *(row[2].split(delimiter) if isinstance(row[2], str) else row[2])] if len(row) > 2
             else row) for line, row in rests] == expected


def read_rows(path):
    opened = open_csv(path, ("pupil_id", "notes"), (), {})
    try:
        return list(opened.rows())
    finally:
        opened.close()


@pytest.mark.parametrize("quoted", [False, True])
def test_a_cell_of_exactly_the_limit_is_read_and_one_character_more_is_not(tmp_path, quoted):
    path = tmp_path / "file.csv"
    q = '"' if quoted else ""
    path.write_text(f"pupil_id,notes\nP1,{q}{'x' * MAX_CELL}{q}\n", encoding="utf-8")
    assert read_rows(path) == [["P1", "x" * MAX_CELL]]
    path.write_text(f"pupil_id,notes\nP1,{q}{'x' * (MAX_CELL + 1)}{q}\n", encoding="utf-8")
    with pytest.raises(InputError, match="2: the cell in column 'notes' is 10,001 characters long"):
        read_rows(path)


@pytest.mark.parametrize("quoted", [False, True])
def test_a_row_of_exactly_the_limit_is_read_and_one_character_more_is_not(tmp_path, quoted):
    """A row's length counts its line endings. Without a quote, a row is one line read by our own
    split; with one (here a cell over eleven lines), csv.reader reads it: the limit is the same."""
    path = tmp_path / "file.csv"
    first = 'P1,"' + "x\n" * 10 + '"' if quoted else "P1"
    for size in (MAX_ROW, MAX_ROW + 1):
        room = size - len(first) - 1
        row = first + (",ab" * (room // 3 + 1))[:room] + "\n"
        assert len(row) == size
        path.write_text(f"pupil_id,notes\n{row}P2,b\n", encoding="utf-8")
        if size == MAX_ROW:
            assert read_rows(path)[-1] == ["P2", "b"]
        else:
            with pytest.raises(InputError, match="2: this row is over 100,000 characters long"):
                read_rows(path)


@pytest.mark.parametrize("chunk", [7, CHUNK])
def test_a_file_of_one_enormous_line_is_refused_without_reading_it_whole(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(spreadsheets, "CHUNK", chunk)
    path = tmp_path / "file.csv"
    path.write_text("pupil_id,notes\n" + "x," * (3 * MAX_ROW), encoding="utf-8")
    opened = open_csv(path, ("pupil_id", "notes"), (), {})
    read = opened.handle.read
    taken = []

    def counted(size):
        text = read(size)
        taken.append(len(text))
        return text

    monkeypatch.setattr(opened.handle, "read", counted)
    try:
        with pytest.raises(InputError, match="file.csv:2: this row is over 100,000 characters long"):
            list(opened.rows())
    finally:
        opened.close()
    assert sum(taken) <= MAX_ROW + 2 * chunk


def test_excel_sep_line_names_the_separator(tmp_path):
    path = tmp_path / "file.csv"
    path.write_text("sep=;\r\npupil_id;year_group\r\nA1;Y7\r\n", encoding="utf-8")
    opened = open_csv(path, ("pupil_id", "year_group"), (), {})
    assert list(opened.rows()) == [["A1", "Y7"]] and opened.first_line == 2
    opened.close()


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"pupil_id,year\nA,Y7\n", "has no year_group column; the columns found are: pupil_id, year"),
    (b"\xff\xfep\x00u\x00", "is not UTF-8"),
    (b"name,year_group\n", "has no pupil_id column"),
])
def test_files_that_cannot_be_read(tmp_path, content, message):
    path = tmp_path / "pupils.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        open_csv(path, ("pupil_id", "year_group"), (), {})


def test_a_file_that_is_not_utf8_halfway_is_an_input_error(tmp_path, rules):
    pupils = tmp_path / "pupils.csv"
    pupils.write_text("pupil_id,year_group\nA,Y7\n")
    activities = tmp_path / "activities.csv"
    activities.write_bytes(b"pupil_id,date,activity\n" + b"A,2026-01-05,lmi_session\n" * 5000 + b"A,\xe9t\xe9,x\n")
    with pytest.raises(InputError, match="not UTF-8"):
        records(rules, pupils, [activities])


def test_a_values_table_is_read_before_our_own_words():
    sen = YesNo({"N": False, "K": True, "E": "yes", "Monitoring": "n"})
    assert [sen(w) for w in ("N", "k", " E ", "monitoring", "", "yes", "0")] == [False, True, True, False, False,
                                                                                  True, False]
    with pytest.raises(ValueError, match="'X' is not yes or no, nor one of the words your mapping translates "
                                         r"\(N, K, E, Monitoring\)"):
        sen("X")
    with pytest.raises(ValueError, match="^'X' is not yes or no$"):
        YesNo({})("X")


def test_a_yes_or_no_word_yaml_read_as_true_or_false_stands_for_every_spelling():
    """`Yes: no` in YAML arrives as {True: False}: the cell may say Yes, True or On."""
    odd = YesNo({True: False, False: True})
    assert [odd(w) for w in ("Yes", "TRUE", "on", "No", "false", "Off")] == [False] * 3 + [True] * 3
    assert odd("y") is True and odd("") is False  # words YAML does not read as true/false keep our meaning
