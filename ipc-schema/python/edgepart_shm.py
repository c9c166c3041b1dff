#!/usr/bin/env python3
"""Read-only reader for EdgePartition shared-memory segments, following ipc-schema/SCHEMA.md.

Standard library only: os.open(O_RDONLY) + read-only mmap + struct. The data area is copied under the
seqlock (read sequence, skip if odd, copy, re-read, retry a bounded number of times), so a snapshot is
always one whole commit of the writer.

    python3 edgepart_shm.py dump [--json] [--dir /dev/shm] <partition> <segment>
    python3 edgepart_shm.py dump [--json] --path /dev/shm/edgepart.p1.plc1
    python3 edgepart_shm.py tag [--dir /dev/shm] <partition> <segment> <tag>   (one tag, its slot's seqlock)
    python3 edgepart_shm.py tag --path /dev/shm/edgepart.p1.plc1 <tag>

Exit codes: 0 ok, 1 bad file (message names the file and the problem), 2 usage, 3 no consistent read,
5 no such tag.

A held Segment follows its writer (SCHEMA.md 4.1): every snapshot() and read_tag() first checks whether the file
was superseded (state 3, or another epoch now at the path) and re-attaches to the new file; liveness() says whether
the writer is Alive, Stopped, Gone (its lease is free or its process is another) or Hung (heartbeat too old), and
the documents carry it under "liveness" with the heartbeat's age, so a dead writer's last values are never taken
for fresh ones.

On x86-64 the plain loads of struct.unpack_from are ordered as the seqlock needs (TSO). On ARM64 Python has no
fences: use the C reader there (ipc-schema/c), whose loads are acquire-ordered.
"""

import fcntl
import json
import mmap
import os
import struct
import sys
import time

MAGIC = int.from_bytes(b"EDGEPSEG", "little")
QUEUE_MAGIC = int.from_bytes(b"EDGEPWRQ", "little")
LAYOUT_MAJOR = 2
HEADER_SIZE = 320
COMMIT_SEQUENCE = 128
CHANGE_SEQUENCE = 192
LAST_COMMIT_UNIX = 256
TAG_ENTRY_SIZE = 192
STATUS_SIZE = 512
RESULTS_WRITTEN = 512
RESULTS_ENTRIES = 576
RESULT_ENTRY_SIZE = 128
SLOT_HEADER = 16
MAX_ATTEMPTS = 10000

TYPES = {
    1: ("Bool", "<?", 1), 2: ("Int8", "<b", 1), 3: ("UInt8", "<B", 1), 4: ("Int16", "<h", 2),
    5: ("UInt16", "<H", 2), 6: ("Int32", "<i", 4), 7: ("UInt32", "<I", 4), 8: ("Int64", "<q", 8),
    9: ("UInt64", "<Q", 8), 10: ("Float32", "<f", 4), 11: ("Float64", "<d", 8), 12: ("String", None, 0),
    13: ("DateTime", "<q", 8), 14: ("Duration", "<q", 8), 15: ("Bytes", None, 0),
}
SEGMENT_STATES = {0: "Initializing", 1: "Live", 2: "Stopped", 3: "Superseded"}
CONNECTION_STATES = {0: "Idle", 1: "Connecting", 2: "Connected", 3: "Disconnected", 4: "Faulted", 5: "Stopped"}
QUALITY_NAMES = {
    0x00000000: "Good", 0x40000000: "Uncertain", 0x40900000: "UncertainLastUsableValue", 0x80000000: "Bad",
    0x80010000: "BadUnexpectedError", 0x80020000: "BadInternalError", 0x80050000: "BadCommunicationError",
    0x800A0000: "BadTimeout", 0x80320000: "BadWaitingForInitialData", 0x803B0000: "BadNotWritable",
    0x80740000: "BadTypeMismatch", 0x803C0000: "BadOutOfRange", 0x808A0000: "BadNotConnected",
    0x808B0000: "BadDeviceFailure", 0x808D0000: "BadOutOfService", 0x80040000: "BadResourceUnavailable",
    0x80100000: "BadTooManyOperations",
}


class SegmentError(Exception):
    """The file is not a usable segment; str() names the file and the problem."""


def _text(raw):
    end = raw.find(b"\0")
    return (raw if end < 0 else raw[:end]).decode("utf-8", "replace")


EPOCH = 64
WRITER_PID = 72
STATE = 76
WRITER_START_TICKS = 80
HEARTBEAT_MONO = 88
HEARTBEAT_UNIX = 96
HEARTBEAT_INTERVAL = 104
STATE_STOPPED = 2
STATE_SUPERSEDED = 3


class Segment:
    """A read-only attachment to one segment file, re-attached when its writer replaces the file."""

    def __init__(self, path):
        self.path = path
        self.reattachments = 0
        self._attach()

    def _attach(self):
        path = self.path
        fd = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            if size < 8:
                raise SegmentError(f"{path}: not an EdgePartition segment: the file is {size} bytes")
            self.mm = mmap.mmap(fd, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)
        finally:
            os.close(fd)
        self._validate(size)

    def superseded(self):
        """True when the writer replaced this file (SCHEMA.md 4.1 step 1): state 3, or another epoch at the path."""
        if struct.unpack_from("<I", self.mm, STATE)[0] == STATE_SUPERSEDED:
            return True
        try:
            with open(self.path, "rb") as f:
                head = f.read(EPOCH + 8)
        except OSError:
            return False
        return len(head) == EPOCH + 8 and struct.unpack_from("<Q", head, EPOCH)[0] != self.u64(EPOCH)

    def follow(self):
        """Re-attaches when the file was superseded; returns True when it did. Called before every read."""
        if not self.superseded():
            return False
        old = self.mm
        self._attach()
        old.close()
        self.reattachments += 1
        return True

    def lease_held(self):
        """Whether a live writer holds the flock lease on the .lock file (a shared probe fails while it does)."""
        try:
            fd = os.open(self.path + ".lock", os.O_RDONLY)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(fd)

    def heartbeat_age_ms(self):
        """Milliseconds since the writer's last heartbeat (CLOCK_MONOTONIC, the writer's clock too)."""
        mono = struct.unpack_from("<q", self.mm, HEARTBEAT_MONO)[0]
        return max(0, (time.clock_gettime_ns(time.CLOCK_MONOTONIC) - mono) // 1_000_000)

    def liveness(self):
        """SCHEMA.md 4.1 in order: Superseded, Stopped, Gone, Hung or Alive."""
        if self.superseded():
            return "Superseded"
        state = struct.unpack_from("<I", self.mm, STATE)[0]
        if state == STATE_STOPPED:
            return "Stopped"
        pid, start_ticks = struct.unpack_from("<i", self.mm, WRITER_PID)[0], self.u64(WRITER_START_TICKS)
        if not self.lease_held() or not _process_is(pid, start_ticks):
            return "Gone"
        interval = struct.unpack_from("<I", self.mm, HEARTBEAT_INTERVAL)[0]
        if self.heartbeat_age_ms() > max(3 * interval, 1000):
            return "Hung"
        return "Alive"

    def liveness_document(self):
        return {"state": self.liveness(), "leaseHeld": self.lease_held(), "heartbeatAgeMs": self.heartbeat_age_ms(),
                "reattachments": self.reattachments}

    def _validate(self, size):
        m, p = self.mm, self.path
        magic = struct.unpack_from("<Q", m, 0)[0]
        if magic == 0:
            raise SegmentError(f"{p}: segment was never published (writer died while creating it): the magic is zero")
        if magic == QUEUE_MAGIC:
            raise SegmentError(f"{p}: wrong kind of file: this is a write-request queue, not a segment")
        if magic != MAGIC:
            raise SegmentError(f"{p}: wrong magic: expected 0x{MAGIC:016X} (\"EDGEPSEG\"), found 0x{magic:016X}")
        if size < HEADER_SIZE:
            raise SegmentError(f"{p}: truncated: the file is {size} bytes, the header alone is {HEADER_SIZE}")
        major, minor, header_size = struct.unpack_from("<HHI", m, 8)
        self.layout_major, self.layout_minor = major, minor
        if major != LAYOUT_MAJOR:
            raise SegmentError(f"{p}: unknown layout version: layout {major}.{minor}; this reader understands {LAYOUT_MAJOR}.x")
        (self.schema_hash, self.segment_size, self.tag_count, entry_size, table_offset, self.data_offset,
         self.data_size, self.results_capacity) = struct.unpack_from("<QQIIQQII", m, 16)
        if self.segment_size > size:
            raise SegmentError(f"{p}: truncated: the file is {size} bytes, its header says {self.segment_size}")
        if (header_size != HEADER_SIZE or entry_size != TAG_ENTRY_SIZE or table_offset != HEADER_SIZE
                or table_offset + self.tag_count * entry_size > self.data_offset
                or self.data_offset + self.data_size > self.segment_size):
            raise SegmentError(f"{p}: corrupt header or tag table: header sizes do not fit")
        table = m[table_offset:table_offset + self.tag_count * entry_size]
        if fnv1a64(table) != self.schema_hash:
            raise SegmentError(f"{p}: corrupt header or tag table: the schema hash does not match the tag table")
        self.tags = []
        for i in range(self.tag_count):
            e = table[i * entry_size:(i + 1) * entry_size]
            dtype, flags, array_length, max_length, element_size, slot_offset, value_size = struct.unpack_from("<HHIIIII", e, 128)
            if dtype not in TYPES:
                raise SegmentError(f"{p}: corrupt header or tag table: tag {i} has unknown data type {dtype}")
            if slot_offset + SLOT_HEADER + value_size > self.data_size:
                raise SegmentError(f"{p}: corrupt header or tag table: tag {i} lies outside the data area")
            self.tags.append({
                "name": _text(e[0:64]), "address": _text(e[64:128]), "type": dtype, "flags": flags,
                "arrayLength": array_length, "maxLength": max_length, "elementSize": element_size,
                "slotOffset": slot_offset, "valueSize": value_size,
            })

    def u64(self, offset):
        return struct.unpack_from("<Q", self.mm, offset)[0]

    def snapshot(self, max_attempts=MAX_ATTEMPTS):
        """Returns (commit_sequence, change_sequence, data bytes) of one whole commit, or None."""
        self.follow()
        start, end = self.data_offset, self.data_offset + self.data_size
        for _ in range(max_attempts):
            change = self.u64(CHANGE_SEQUENCE)
            before = self.u64(COMMIT_SEQUENCE)
            if before & 1:
                continue
            data = self.mm[start:end]
            if self.u64(COMMIT_SEQUENCE) == before:
                return before, change, data
        return None

    def read_tag(self, index, max_attempts=MAX_ATTEMPTS):
        """Returns (version, quality, source_ts, slot bytes) of one tag from one write of its slot, or None.

        The slot's own seqlock (SCHEMA.md 3.2): version even and unchanged around the copy. A superseded file is
        re-attached first and the tag found again by name (SegmentError when the new layout has no such tag)."""
        name = self.tags[index]["name"]
        if self.follow():
            index = next((i for i, t in enumerate(self.tags) if t["name"] == name), None)
            if index is None:
                raise SegmentError(f"{self.path}: the writer replaced the segment and its new layout has no tag {name}")
        tag = self.tags[index]
        start = self.data_offset + tag["slotOffset"]
        end = start + SLOT_HEADER + tag["valueSize"]
        for _ in range(max_attempts):
            before = struct.unpack_from("<I", self.mm, start + 4)[0]
            if before & 1:
                continue
            data = self.mm[start:end]
            if struct.unpack_from("<I", self.mm, start + 4)[0] == before:
                quality, _, source_ts = struct.unpack_from("<IIq", data, 0)
                return before, quality, source_ts, data
        return None

    def writer_info(self):
        pid, state, start_ticks, hb_mono, hb_unix, hb_interval = struct.unpack_from("<iIQqqI", self.mm, 72)
        return {
            "epoch": self.u64(64), "pid": pid, "state": state, "startTicks": start_ticks,
            "heartbeatUnixNs": hb_unix, "heartbeatIntervalMs": hb_interval,
            "startedUnixNs": struct.unpack_from("<q", self.mm, 112)[0], "repairs": self.u64(120),
            "changeSequence": self.u64(CHANGE_SEQUENCE),
            "lastCommitUnixNs": struct.unpack_from("<q", self.mm, LAST_COMMIT_UNIX)[0],
        }


def _process_is(pid, start_ticks):
    """Whether pid runs and (when start_ticks is not 0) started at that time: a reused pid is another process."""
    if pid <= 0:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    fields = stat[stat.rfind(b")") + 2:].split()
    return start_ticks == 0 or int(fields[19]) == start_ticks


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def _float32(v):
    """The shortest text that reads back as the same float32 (0.1, not 0.10000000149011612), as .NET writes it."""
    if v != v or v in (float("inf"), float("-inf")):
        return _float(v)
    for precision in range(1, 10):
        shortest = float(f"{v:.{precision}g}")
        if struct.unpack("<f", struct.pack("<f", shortest))[0] == v:
            return shortest
    return v


def _float(v):
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def _element(data, tag, offset):
    name, fmt, _ = TYPES[tag["type"]]
    if fmt is None:
        length = min(struct.unpack_from("<I", data, offset)[0], tag["maxLength"])
        raw = data[offset + 4:offset + 4 + length]
        # Bytes are a list of numbers, as in every JSON document of a value (ipc-schema/Json/ElementJson.cs).
        return raw.decode("utf-8", "replace") if name == "String" else list(raw)
    value = struct.unpack_from(fmt, data, offset)[0]
    if name == "Bool":
        return data[offset] != 0
    if name == "Float32":
        return _float32(value)
    if name == "Float64":
        return _float(value)
    return value


def to_document(seg, commit_sequence, data):
    info = seg.writer_info()
    status_fields = struct.unpack_from("<IIq8Q7qI", data, 0)
    (state, _, since, reads_ok, reads_failed, writes_ok, writes_failed, reconnects, bytes_in, bytes_out, cycles,
     last, avg, mx, p50, p99, jmax, last_cycle, depth) = status_fields
    doc = {
        "path": seg.path,
        "layout": f"{seg.layout_major}.{seg.layout_minor}",
        "schemaHash": f"0x{seg.schema_hash:016x}",
        "segmentSize": seg.segment_size,
        "epoch": f"0x{info['epoch']:016x}",
        "state": SEGMENT_STATES.get(info["state"], str(info["state"])),
        "writer": {"pid": info["pid"], "startTicks": info["startTicks"], "startedUnixNs": info["startedUnixNs"],
                   "heartbeatUnixNs": info["heartbeatUnixNs"], "heartbeatIntervalMs": info["heartbeatIntervalMs"]},
        "changeSequence": info["changeSequence"],
        "commitSequence": commit_sequence,
        "repairs": info["repairs"],
        "lastCommitUnixNs": info["lastCommitUnixNs"],
        "liveness": seg.liveness_document(),
        "status": {
            "state": CONNECTION_STATES.get(state, str(state)), "stateSinceUnixNs": since, "readsOk": reads_ok,
            "readsFailed": reads_failed, "writesOk": writes_ok, "writesFailed": writes_failed,
            "reconnects": reconnects, "bytesIn": bytes_in, "bytesOut": bytes_out, "cycleCount": cycles,
            "cycleTimeLastNs": last, "cycleTimeAvgNs": avg, "cycleTimeMaxNs": mx, "jitterP50Ns": p50,
            "jitterP99Ns": p99, "jitterMaxNs": jmax, "lastCycleUnixNs": last_cycle, "writeQueueDepth": depth,
            "lastError": _text(data[192:448]), "endpoint": _text(data[448:512]),
        },
        "tags": [],
        "writeResults": [],
    }
    for index, tag in enumerate(seg.tags):
        slot = tag["slotOffset"]
        quality, version, source_ts = struct.unpack_from("<IIq", data, slot)
        values = [_element(data, tag, slot + SLOT_HEADER + e * tag["elementSize"]) for e in range(tag["arrayLength"])]
        doc["tags"].append({
            "index": index, "name": tag["name"], "address": tag["address"], "type": TYPES[tag["type"]][0],
            "arrayLength": tag["arrayLength"], "maxLength": tag["maxLength"], "writable": bool(tag["flags"] & 1),
            "quality": quality, "qualityName": QUALITY_NAMES.get(quality, f"0x{quality:08X}"),
            "version": version, "sourceTimestampNs": source_ts, "value": values[0] if tag["arrayLength"] == 1 else values,
        })
    published = struct.unpack_from("<Q", data, RESULTS_WRITTEN)[0]
    for i in range(min(published, seg.results_capacity)):
        at = RESULTS_ENTRIES + ((published - 1 - i) % seg.results_capacity) * RESULT_ENTRY_SIZE
        request_id, status, tag_index, enq, started, done = struct.unpack_from("<QIiqqq", data, at)
        doc["writeResults"].append({"requestId": request_id, "status": status, "tagIndex": tag_index,
                                    "enqueuedUnixNs": enq, "startedUnixNs": started, "doneUnixNs": done,
                                    "error": _text(data[at + 40:at + 128])})
    return doc


def tag_document(seg, index, max_attempts=MAX_ATTEMPTS):
    """One tag as {"name", "version", "quality", "sourceTimestampNs", "value", "liveness"} (as the C reader's --tag),
    or None. Follows a superseded segment (the tag is found again by name)."""
    name = seg.tags[index]["name"]
    read = seg.read_tag(index, max_attempts)
    if read is None:
        return None
    version, quality, source_ts, data = read
    tag = next(t for t in seg.tags if t["name"] == name)
    values = [_element(data, tag, SLOT_HEADER + e * tag["elementSize"]) for e in range(tag["arrayLength"])]
    return {"name": tag["name"], "version": version, "quality": quality, "sourceTimestampNs": source_ts,
            "value": values[0] if tag["arrayLength"] == 1 else values, "liveness": seg.liveness_document()}


def main(argv):
    args = argv[1:]
    if not args or args[0] not in ("dump", "tag"):
        print(__doc__, file=sys.stderr)
        return 2
    command, args = args[0], args[1:]
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    directory, path = "/dev/shm", None
    if "--dir" in args:
        i = args.index("--dir")
        directory = args[i + 1]
        del args[i:i + 2]
    if "--path" in args:
        i = args.index("--path")
        path = args[i + 1]
        del args[i:i + 2]
    # What is left: [partition segment] without --path, then the tag name for `tag`.
    tag_name = args.pop() if command == "tag" and args else None
    if (command == "tag" and tag_name is None) or len(args) != (0 if path else 2):
        print(__doc__, file=sys.stderr)
        return 2
    if path is None:
        path = os.path.join(directory, f"edgepart.{args[0]}.{args[1]}")
    try:
        seg = Segment(path)
    except FileNotFoundError:
        print(f"{path}: no such segment", file=sys.stderr)
        return 1
    except SegmentError as e:
        print(str(e), file=sys.stderr)
        return 1
    if tag_name is not None:
        index = next((i for i, t in enumerate(seg.tags) if t["name"] == tag_name), None)
        if index is None:
            print(f"{path}: no tag named {tag_name}", file=sys.stderr)
            return 5
        doc = tag_document(seg, index)
        if doc is None:
            print(f"{path}: no consistent read of tag {tag_name} (writer stuck mid-commit or dead)", file=sys.stderr)
            return 3
        json.dump(doc, sys.stdout, ensure_ascii=False)
        print()
        return 0
    snap = seg.snapshot()
    if snap is None:
        print(f"{path}: no consistent snapshot after {MAX_ATTEMPTS} attempts (writer stuck mid-commit or dead)", file=sys.stderr)
        return 3
    doc = to_document(seg, snap[0], snap[2])
    if as_json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(f"{doc['path']}  state={doc['state']}  epoch={doc['epoch']}  commits={doc['commitSequence'] // 2}")
        for t in doc["tags"]:
            value = t["value"]
            if isinstance(value, list) and len(value) > 16:
                value = f"[{', '.join(map(str, value[:16]))}, ... ({len(value)} elements)]"
            print(f"  {t['name']:<24} {t['type']:<9} {t['qualityName']:<26} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
