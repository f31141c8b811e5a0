"""The block decoder reads exactly what the line-by-line reader reads (or fails the same way), and
the output encoder writes exactly what orjson writes for each row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import get_args, get_type_hints

import numpy as np
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from troth.batch import clock_lines, event_decode, event_files, event_records, workers
from troth.batch.clock_lines import encode_chunks, row_object
from troth.batch.event_instants import epochs
from troth.batch.events import Vocabulary, small_columns
from troth.batch.ticket_ids import Ids, Names
from troth.core.clocks import Author
from troth.core.clocks.columns import AUTHOR_CODES, KIND_CODES, ClockColumns, EventColumns
from troth.core.errors import InputError
from troth.core.instants import parse_instant, to_epoch

WORDS = Vocabulary(levels=frozenset({"1", "2", "P3"}), statuses=frozenset({"open", "waiting_on_customer", "closed"}))


def decoded(c: EventColumns) -> list[tuple[object, ...]]:
    """Each event's values, independent of the code tables."""

    def name(table: tuple[str, ...], code: int) -> str | None:
        return None if code < 0 else table[code]

    return [
        (
            c.ticket_ids[c.ticket[i]],
            int(c.at[i]),
            KIND_CODES[c.kind[i]].value,
            int(c.sequence[i]),
            name(c.levels, int(c.level[i])),
            name(c.accounts, int(c.account[i])),
            bool(c.platform_level[i]),
            int(c.scheduled_at[i]) if c.has_scheduled[i] else None,
            None if c.author[i] < 0 else AUTHOR_CODES[c.author[i]].value,
            bool(c.public[i]),
            bool(c.automated[i]),
            name(c.statuses, int(c.status[i])),
        )
        for i in range(len(c))
    ]


def read_both(path: Path) -> tuple[object, object]:
    def attempt(read: object) -> object:
        try:
            return decoded(read(str(path), WORDS))  # type: ignore[operator]
        except InputError as error:
            return str(error)

    return attempt(event_files.decode_events), attempt(small_columns)


def mostly(valid: list[object], invalid: list[object]) -> st.SearchStrategy[object]:
    """Mostly valid values, so that most blocks are decoded and some are read line by line."""
    return (
        st.one_of(*[st.just(v) for v in valid * 3], *[st.just(v) for v in invalid])
        if invalid
        else st.sampled_from(valid)
    )


tickets = mostly(["T-1", "T-2", "T-10", "T 3", "émile"], ['tk"q', "", 5])
instants = mostly(
    ["2026-03-19T10:00:00Z", "2026-03-19T10:00:00-05:00", "2026-03-19T09:59:59+05:30", "2024-02-29T23:59:59Z"],
    ["2026-03-19T10:00:00.250Z", "2026-03-19 10:00:00Z", "2026-02-29T10:00:00Z", "2026-03-19T24:00:00Z", "x", None],
)
REQUIRED = {
    "created": {},
    "reply": {"author": mostly(["agent", "customer"], ["bot", None])},
    "level": {"level": mostly(["1", "2", "P3"], ["9", None])},
    "status": {"status": mostly(["open", "waiting_on_customer", "closed"], ["paused", None])},
    "restored": {},
    "resolved": {},
}
OPTIONAL = {
    "account": mostly(["acme", "globex", None], ["", 7]),
    "level": mostly(["1", "2", "P3", None], ["9", True]),
    "platform_level": mostly([True, False, None], ["yes"]),
    "channel": mostly(["web", None], [""]),
    "scheduled_at": st.one_of(st.none(), instants),
    "public": mostly([True, False, None], [1]),
    "automated": mostly([True, False, None], ["no"]),
    "extra": st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["x", "", "a\\b"])),
    "nested": st.just({"a": [1, 2]}),
}


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    kind = draw(mostly(list(REQUIRED), ["closed", None]))
    event: dict[str, object] = {"ticket": draw(tickets), "at": draw(instants), "type": kind}
    for key, strategy in REQUIRED.get(str(kind), {}).items():
        event[key] = draw(strategy)
    for key, strategy in OPTIONAL.items():
        if draw(st.integers(0, 3)) == 0:
            event[key] = draw(strategy)
    keys = draw(st.permutations(list(event)))
    ordered = {k: event[k] for k in keys}
    style = draw(st.sampled_from(["orjson", "orjson", "python", "comma-space", "ascii-escaped"]))
    if style == "orjson":
        return orjson.dumps(ordered)
    if style == "python":
        return json.dumps(ordered, ensure_ascii=False).encode()
    if style == "comma-space":
        return json.dumps(ordered, separators=(", ", ":"), ensure_ascii=False).encode()
    return json.dumps(ordered).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.lists(lines(), min_size=1, max_size=12),
    ending=st.sampled_from([b"\n", b"\r\n"]),
    blank=st.booleans(),
    block=st.sampled_from([64, 256, 4096]),
)
def test_the_block_decoder_reads_what_the_line_reader_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: list[bytes], ending: bytes, blank: bool, block: int
) -> None:
    monkeypatch.setattr(event_files, "BLOCK_BYTES", block)
    text = ending.join(body) + (ending + ending if blank else ending)
    path = tmp_path / "events.jsonl"
    path.write_bytes(text)
    fast, slow = read_both(path)
    assert fast == slow


def test_valid_export_lines_are_decoded_not_read_line_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = [
        {"ticket": f"T-{i}", "at": "2026-03-19T10:00:00Z", "type": "created", "account": "acme", "level": "2"}
        for i in range(50)
    ] + [{"ticket": f"T-{i}", "at": "2026-03-19T10:05:00-05:00", "type": "reply", "author": "agent"} for i in range(50)]
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(e) for e in events) + b"\n")

    def refuse(*args: object) -> object:
        raise AssertionError("the decoder fell back to the line reader")

    monkeypatch.setattr(event_decode, "read_block_lines", refuse)
    decoded_columns = event_files.decode_events(str(path), WORDS)
    assert len(decoded_columns) == 100
    assert tuple(decoded_columns.ticket_ids[:3]) == ("T-0", "T-1", "T-10")


@pytest.mark.parametrize(
    "bad",
    [
        b'{"ticket": "T-\xff", "at": "2026-03-19T10:00:00Z", "type": "resolved"}',
        b'{"ticket": "\\ud800"}',
        b"[1]",
        # Two events on one line would be two elements of the block's array: the line reader refuses it.
        b'{"ticket": "T-2", "at": "2026-03-19T10:00:00Z", "type": "created"},'
        b'{"ticket": "T-3", "at": "2026-03-19T10:00:00Z", "type": "created"}',
    ],
)
def test_a_line_json_cannot_read_is_located_as_the_line_reader_locates_it(tmp_path: Path, bad: bytes) -> None:
    good = orjson.dumps({"ticket": "T-1", "at": "2026-03-19T10:00:00Z", "type": "created"})
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join([good, bad, good]) + b"\n")
    fast, slow = read_both(path)
    assert fast == slow
    assert isinstance(fast, str)
    assert fast.startswith(f"{path}:2:")


def test_the_decoded_reply_authors_are_the_contract_authors() -> None:
    assert set(get_args(get_type_hints(event_records.Reply)["author"])) == {a.value for a in Author}


def random_clocks(ticket_ids: Sequence[str] = ("T-1", 'quote"d', "ünï")) -> ClockColumns:
    rng = np.random.default_rng(7)
    n = 500
    started = rng.integers(0, 4_000_000_000, n)
    clocks = ClockColumns(
        ticket=np.sort(rng.integers(0, len(ticket_ids), n)),
        target=rng.integers(0, 2, n),
        level=rng.integers(0, 2, n),
        status=rng.integers(0, 5, n),
        started_at=started,
        due_at=started + rng.integers(0, 10**7, n),
        has_due=rng.random(n) > 0.3,
        stopped_at=started + rng.integers(0, 10**7, n),
        has_stop=rng.random(n) > 0.5,
        target_seconds=rng.integers(0, 10**6, n),
        has_length=rng.random(n) > 0.2,
        elapsed_seconds=rng.integers(0, 10**9, n) * (rng.random(n) > 0.1),
        has_elapsed=rng.random(n) > 0.1,
        warnings=None,
        ticket_ids=ticket_ids,
        targets=("first_response", "resolution"),
        levels=("1", "P\\2"),
        skipped_tickets=0,
    )
    return clocks


@pytest.mark.parametrize(
    "ticket_ids",
    [
        ("T-1", 'quote"d', "ünï"),
        ("T-1", "T-10", "ünï", "😀"),
        ("T-1", "T-2"),
        ("tab\there", "a\\b", "nul\0"),
        Names(Ids.of(["T-1", "T-10", "ünï"])),  # as the block reader gives them
    ],
)
def test_the_output_encoder_writes_what_orjson_writes(ticket_ids: Sequence[str]) -> None:
    clocks = random_clocks(ticket_ids)
    written = b"".join(encode_chunks(clocks)).split(b"\n")
    assert written[-1] == b""
    assert written[:-1] == [orjson.dumps(row_object(clocks, row)) for row in range(len(clocks))]


def test_threads_encode_the_chunks_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    clocks = random_clocks()
    monkeypatch.setattr(clock_lines, "CHUNK_ROWS", 37)
    monkeypatch.setattr(workers, "worker_count", lambda: 1)
    alone = list(encode_chunks(clocks))
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    assert list(encode_chunks(clocks)) == alone
    assert len(alone) == -(-len(clocks) // 37)


def test_workers_read_a_large_file_exactly_like_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = []
    for i in range(3000):
        rows.append({"ticket": f"T-{i % 700}", "at": "2026-03-19T10:00:00Z", "type": "created", "account": f"a{i % 7}"})
        rows.append({"ticket": f"T-{i % 700}", "at": "2026-03-19T10:05:00Z", "type": "reply", "author": "agent"})
    rows[10]["scheduled_at"] = rows[3000]["scheduled_at"] = "2026-03-20T09:00:00+01:00"
    rows[11]["public"], rows[13]["automated"], rows[12]["platform_level"] = False, True, True
    lines = [orjson.dumps(r) for r in rows]
    lines[4321] = b'{"ticket": "T-1", "at": "2026-03-19T10:00:00Z", "type": "status", "status": "open", "n": 1}'
    lines[4500] = b""  # a blank line: that block is read line by line, its line numbers skip one
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    monkeypatch.setattr(event_files, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(event_files, "worker_count", lambda: 1)
    serial = decoded(event_files.decode_events(str(path), WORDS))
    monkeypatch.setattr(event_files, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(event_files, "worker_count", lambda: 2)
    assert decoded(event_files.decode_events(str(path), WORDS)) == serial
    monkeypatch.setattr(event_files, "EVENT_BYTES", 10**9)  # columns allocated for none: they grow
    assert decoded(event_files.decode_events(str(path), WORDS)) == serial


def test_workers_locate_an_error_by_its_line_in_the_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = orjson.dumps({"ticket": "T-1", "at": "2026-03-19T10:00:00Z", "type": "resolved"})
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join([good] * 999 + [b'{"ticket": "T-1", "at": "then", "type": "resolved"}']) + b"\n")
    monkeypatch.setattr(event_files, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(event_files, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(event_files, "worker_count", lambda: 2)
    with pytest.raises(InputError) as raised:
        event_files.decode_events(str(path), WORDS)
    assert (raised.value.line, raised.value.field) == (1000, "at")


@settings(max_examples=400, deadline=None)
@given(
    year=st.sampled_from([1, 1999, 2024, 2026, 9999]),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
    hour=st.integers(0, 25),
    minute=st.integers(0, 61),
    second=st.integers(0, 61),
    zone=st.sampled_from(["Z", "+05:30", "-06:00", "+23:59", "-24:00", "+05:60", "z", "+0530", ".5Z"]),
)
def test_the_vectorised_instant_is_what_fromisoformat_reads(
    year: int, month: int, day: int, hour: int, minute: int, second: int, zone: str
) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{zone}"
    valid = "2026-03-19T10:00:00Z"
    read = epochs([valid, text, valid])  # between others: the layout is read at each text's own offset
    try:
        expected: list[int] | None = [to_epoch(parse_instant(t)) for t in (valid, text, valid)]
    except ValueError:
        expected = None
    assert (None if read is None else read.tolist()) == expected


@pytest.mark.parametrize("zone", ["Z", "+05:30", "-06:00", "+24:00", "+05:60"])
@pytest.mark.parametrize("time", ["10:00:00", "24:00:00", "10:60:00"])
def test_instants_all_in_one_layout_are_what_fromisoformat_reads(zone: str, time: str) -> None:
    texts = [f"2026-03-19T{time}{zone}", f"2024-02-29T{time}{zone}", f"2026-12-31T{time}{zone}"]
    try:
        expected: list[int] | None = [to_epoch(parse_instant(t)) for t in texts]
    except ValueError:
        expected = None
    read = epochs(texts)
    assert (None if read is None else read.tolist()) == expected


def test_texts_of_other_lengths_are_not_read_as_one_layout() -> None:
    # 19 + 21 characters make as many bytes as two instants of 20: no row may start in the wrong text.
    assert epochs(["2026-03-19T10:00:00", "Z2026-03-19T10:00:00Z"]) is None
    assert epochs(["2026-03-19T10:00:00Z,", "2026-03-19T10:00:00"]) is None


@pytest.mark.parametrize("order", ["sorted", "one ticket out of order"])
def test_blocks_of_an_export_sorted_by_ticket_join_as_the_line_reader_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: str
) -> None:
    names = [f"T-{i:04d}" for i in range(400)] + ["T-0400-é", "U-1"]
    if order != "sorted":
        names[300], names[100] = names[100], names[300]
    rows = []
    for name in names:  # several events a ticket, so that blocks cut tickets in two
        rows.append({"ticket": name, "at": "2026-03-19T10:00:00Z", "type": "created", "account": name[:3]})
        rows.append({"ticket": name, "at": "2026-03-19T10:05:00Z", "type": "reply", "author": "agent"})
        rows.append({"ticket": name, "at": "2026-03-19T11:00:00Z", "type": "resolved"})
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n")
    monkeypatch.setattr(event_files, "BLOCK_BYTES", 1000)
    monkeypatch.setattr(event_files, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(event_files, "worker_count", lambda: 2)
    fast, slow = read_both(path)
    assert fast == slow
