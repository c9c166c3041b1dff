/*
 * edgepart_shm_dump: prints one EdgePartition segment as the same JSON document as
 * `edgepart shm dump --json` (see ipc-schema/SCHEMA.md). Read-only: O_RDONLY + PROT_READ.
 *
 *   cc -O2 -std=c11 -o edgepart_shm_dump edgepart_shm_dump.c -lm
 *   ./edgepart_shm_dump /dev/shm/edgepart.p1.plc1                   the whole segment (seqlock snapshot)
 *   ./edgepart_shm_dump /dev/shm/edgepart.p1.plc1 --tag NAME        one tag (its slot's seqlock)
 *   ./edgepart_shm_dump /dev/shm/edgepart.p1.plc1 --wait-change SEQ MS
 *        sleeps (counted in the .waiters file) until change_sequence != SEQ, prints the new one; checks the writer
 *        (SCHEMA.md 4.1) at least every 250 ms while it waits
 *   ./edgepart_shm_dump /dev/shm/edgepart.p1.plc1 --liveness       Alive, Stopped, Gone, Hung or Superseded
 *
 * Exit codes: 0 ok, 1 bad file (message names the file and the problem), 2 usage, 3 no consistent read,
 * 4 no change before the timeout, 5 no such tag, 6 the segment was superseded (the writer replaced it: re-open
 * the path), 7 the writer is gone (its lease is free or its process is another) while waiting.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "edgepart_shm.h"

static const char *type_names[] = {"?", "Bool", "Int8", "UInt8", "Int16", "UInt16", "Int32", "UInt32", "Int64",
                                   "UInt64", "Float32", "Float64", "String", "DateTime", "Duration", "Bytes"};
static const char *segment_states[] = {"Initializing", "Live", "Stopped", "Superseded"};
static const char *connection_states[] = {"Idle", "Connecting", "Connected", "Disconnected", "Faulted", "Stopped"};

static const struct { uint32_t code; const char *name; } quality_names[] = {
    {0x00000000, "Good"}, {0x40000000, "Uncertain"}, {0x40900000, "UncertainLastUsableValue"},
    {0x80000000, "Bad"}, {0x80010000, "BadUnexpectedError"}, {0x80020000, "BadInternalError"},
    {0x80050000, "BadCommunicationError"}, {0x800A0000, "BadTimeout"}, {0x80320000, "BadWaitingForInitialData"},
    {0x803B0000, "BadNotWritable"}, {0x80740000, "BadTypeMismatch"}, {0x803C0000, "BadOutOfRange"},
    {0x808A0000, "BadNotConnected"}, {0x808B0000, "BadDeviceFailure"}, {0x808D0000, "BadOutOfService"},
    {0x80040000, "BadResourceUnavailable"}, {0x80100000, "BadTooManyOperations"},
};

static int fail(const char *path, const char *problem, const char *detail)
{
    fprintf(stderr, "%s: %s: %s\n", path, problem, detail);
    return 1;
}

/* JSON string from UTF-8 bytes (at most n, stopping at NUL when nul_terminated). */
static void json_string(const char *s, size_t n, int nul_terminated)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (nul_terminated && c == 0) {
            break;
        }
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static void json_double(double v)
{
    if (isnan(v)) {
        printf("\"NaN\"");
    } else if (isinf(v)) {
        printf(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
        char text[40];
        snprintf(text, sizeof text, "%.15g", v);
        if (strtod(text, NULL) != v) {
            snprintf(text, sizeof text, "%.17g", v);
        }
        printf("%s", text);
    }
}

/* A Float32 as the shortest text that reads back as the same float (0.1, not 0.10000000149011612), as the
   .NET dump writes it (ipc-schema/Json/ElementJson.cs). */
static void json_float(float v)
{
    if (isnan(v) || isinf(v)) {
        json_double((double)v);
        return;
    }
    char text[40];
    for (int precision = 1; precision <= 9; precision++) {
        snprintf(text, sizeof text, "%.*g", precision, (double)v);
        if (strtof(text, NULL) == v) {
            break;
        }
    }
    printf("%s", text);
}

static void print_element(const uint8_t *p, const struct ep_tag_entry *t)
{
    switch (t->data_type) {
    case EP_BOOL: printf(*p ? "true" : "false"); break;
    case EP_INT8: printf("%d", *(const int8_t *)p); break;
    case EP_UINT8: printf("%u", *p); break;
    case EP_INT16: { int16_t v; memcpy(&v, p, 2); printf("%d", v); break; }
    case EP_UINT16: { uint16_t v; memcpy(&v, p, 2); printf("%u", v); break; }
    case EP_INT32: { int32_t v; memcpy(&v, p, 4); printf("%" PRId32, v); break; }
    case EP_UINT32: { uint32_t v; memcpy(&v, p, 4); printf("%" PRIu32, v); break; }
    case EP_INT64: case EP_DATETIME: case EP_DURATION: { int64_t v; memcpy(&v, p, 8); printf("%" PRId64, v); break; }
    case EP_UINT64: { uint64_t v; memcpy(&v, p, 8); printf("%" PRIu64, v); break; }
    case EP_FLOAT32: { float v; memcpy(&v, p, 4); json_float(v); break; }
    case EP_FLOAT64: { double v; memcpy(&v, p, 8); json_double(v); break; }
    case EP_STRING: case EP_BYTES: {
        uint32_t len;
        memcpy(&len, p, 4);
        if (len > t->max_length) {
            len = t->max_length;
        }
        if (t->data_type == EP_STRING) {
            json_string((const char *)p + 4, len, 0);
        } else {
            /* Bytes are an array of numbers, as in every JSON document of a value (ipc-schema/Json/ElementJson.cs). */
            putchar('[');
            for (uint32_t i = 0; i < len; i++) {
                printf(i == 0 ? "%u" : ",%u", (unsigned)p[4 + i]);
            }
            putchar(']');
        }
        break;
    }
    default: printf("null");
    }
}

/* Maps and checks a segment; 0 and the mapping, or the exit code after printing the file and the problem. */
static int open_segment(const char *path, const uint8_t **base_out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 8) {
        return fail(path, "not an EdgePartition segment", "the file is smaller than any segment header");
    }
    const uint8_t *base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED) {
        perror(path);
        return 1;
    }
    const struct ep_header *h = (const struct ep_header *)base;
    uint64_t magic = atomic_load_explicit((const _Atomic uint64_t *)&h->magic, memory_order_acquire);
    if (magic == 0) return fail(path, "segment was never published (writer died while creating it)", "the magic is zero");
    if (magic == EP_QUEUE_MAGIC) return fail(path, "wrong kind of file", "this is a write-request queue, not a segment");
    if (magic != EP_MAGIC) return fail(path, "wrong magic", "not \"EDGEPSEG\"");
    if (st.st_size < EP_HEADER_SIZE) return fail(path, "truncated", "the file is shorter than the header");
    if (h->layout_major != EP_LAYOUT_MAJOR) return fail(path, "unknown layout version", "this reader understands 2.x");
    if (h->segment_size > (uint64_t)st.st_size) return fail(path, "truncated", "the file is shorter than its header says");
    if (h->header_size != EP_HEADER_SIZE || h->tag_entry_size != EP_TAG_ENTRY_SIZE || h->tag_table_offset != EP_HEADER_SIZE
        || h->tag_table_offset + (uint64_t)h->tag_count * EP_TAG_ENTRY_SIZE > h->data_offset
        || h->data_offset + h->data_size > h->segment_size)
        return fail(path, "corrupt header or tag table", "header sizes do not fit");
    const struct ep_tag_entry *tags = (const struct ep_tag_entry *)(base + h->tag_table_offset);
    if (ep_fnv1a64((const uint8_t *)tags, (size_t)h->tag_count * EP_TAG_ENTRY_SIZE) != h->schema_hash)
        return fail(path, "corrupt header or tag table", "the schema hash does not match the tag table");
    for (uint32_t i = 0; i < h->tag_count; i++) {
        if (tags[i].data_type < EP_BOOL || tags[i].data_type > EP_BYTES
            || (uint64_t)tags[i].slot_offset + EP_SLOT_HEADER_SIZE + tags[i].value_size > h->data_size)
            return fail(path, "corrupt header or tag table", "a tag entry is out of range");
    }
    *base_out = base;
    return 0;
}

static void print_value(const uint8_t *value, const struct ep_tag_entry *t)
{
    if (t->array_length == 1) {
        print_element(value, t);
        return;
    }
    putchar('[');
    for (uint32_t e = 0; e < t->array_length; e++) {
        if (e) printf(", ");
        print_element(value + (size_t)e * t->element_size, t);
    }
    putchar(']');
}

/* --tag NAME: one tag through ep_read_tag, as {"name", "version", "quality", "sourceTimestampNs", "value"}. */
static int dump_tag(const char *path, const uint8_t *base, const char *name)
{
    const struct ep_header *h = (const struct ep_header *)base;
    const struct ep_tag_entry *tags = (const struct ep_tag_entry *)(base + h->tag_table_offset);
    for (uint32_t i = 0; i < h->tag_count; i++) {
        if (strncmp(tags[i].name, name, sizeof tags[i].name) != 0) {
            continue;
        }
        struct ep_slot slot;
        uint32_t version;
        uint8_t *value = malloc(tags[i].value_size);
        if (value == NULL || !ep_read_tag(base, &tags[i], &slot, value, 10000, &version)) {
            fprintf(stderr, "%s: no consistent read of tag %s (writer stuck mid-commit or dead)\n", path, name);
            return 3;
        }
        printf("{\"name\": ");
        json_string(tags[i].name, sizeof tags[i].name, 1);
        printf(", \"version\": %u, \"quality\": %u, \"sourceTimestampNs\": %" PRId64 ", \"value\": ",
               version, slot.quality, slot.source_timestamp_ns);
        print_value(value, &tags[i]);
        printf("}\n");
        free(value);
        return 0;
    }
    fprintf(stderr, "%s: no tag named %s\n", path, name);
    return 5;
}

/* The writer's liveness (SCHEMA.md 4.1), judged in the order given there. */
enum liveness { LIVE_ALIVE, LIVE_STOPPED, LIVE_GONE, LIVE_HUNG, LIVE_SUPERSEDED };
static const char *liveness_names[] = {"Alive", "Stopped", "Gone", "Hung", "Superseded"};

/* Whether a writer holds the flock lease on PATH.lock: a shared non-blocking lock fails only while it does. */
static int lease_held(const char *path)
{
    char lock_path[4096];
    snprintf(lock_path, sizeof lock_path, "%s.lock", path);
    int fd = open(lock_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    int held = flock(fd, LOCK_SH | LOCK_NB) != 0;
    if (!held) {
        flock(fd, LOCK_UN);
    }
    close(fd);
    return held;
}

/* Whether pid runs and, when start_ticks is not 0, started then (/proc/PID/stat field 22): a reused pid is another. */
static int process_is(int pid, uint64_t start_ticks)
{
    if (pid <= 0) {
        return 0;
    }
    char stat_path[64], buffer[1024];
    snprintf(stat_path, sizeof stat_path, "/proc/%d/stat", pid);
    FILE *f = fopen(stat_path, "r");
    if (f == NULL) {
        return 0;
    }
    size_t n = fread(buffer, 1, sizeof buffer - 1, f);
    fclose(f);
    buffer[n] = 0;
    const char *p = strrchr(buffer, ')');
    if (p == NULL || start_ticks == 0) {
        return p != NULL;
    }
    p += 2;
    for (int field = 3; field < 22 && *p; field++) {
        p = strchr(p, ' ');
        if (p == NULL) {
            return 0;
        }
        p++;
    }
    return strtoull(p, NULL, 10) == start_ticks;
}

static int64_t heartbeat_age_ms(const struct ep_header *h)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t mono = atomic_load_explicit((const _Atomic int64_t *)&h->heartbeat_mono_ns, memory_order_acquire);
    int64_t age = ((int64_t)now.tv_sec * 1000000000LL + now.tv_nsec - mono) / 1000000LL;
    return age < 0 ? 0 : age;
}

/* State 3, or another epoch in the file now at the path: the writer replaced this one. */
static int superseded(const char *path, const struct ep_header *h)
{
    if (atomic_load_explicit((const _Atomic uint32_t *)&h->state, memory_order_acquire) == 3) {
        return 1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    uint64_t epoch = 0;
    ssize_t n = pread(fd, &epoch, sizeof epoch, 64);
    close(fd);
    return n == (ssize_t)sizeof epoch && epoch != atomic_load_explicit((const _Atomic uint64_t *)&h->epoch, memory_order_acquire);
}

static enum liveness judge_liveness(const char *path, const uint8_t *base)
{
    const struct ep_header *h = (const struct ep_header *)base;
    if (superseded(path, h)) {
        return LIVE_SUPERSEDED;
    }
    if (atomic_load_explicit((const _Atomic uint32_t *)&h->state, memory_order_acquire) == 2) {
        return LIVE_STOPPED;
    }
    if (!lease_held(path) || !process_is(h->writer_pid, h->writer_start_ticks)) {
        return LIVE_GONE;
    }
    int64_t limit = 3 * (int64_t)h->heartbeat_interval_ms;
    return heartbeat_age_ms(h) > (limit > 1000 ? limit : 1000) ? LIVE_HUNG : LIVE_ALIVE;
}

/* --wait-change SEQ MS: a counted futex wait (SCHEMA.md 4.3) in slices that check the writer; prints the new change
 * sequence, or ends with 6 when the segment was superseded and 7 when its writer is gone. */
static int wait_change(const char *path, const uint8_t *base, uint64_t last_seen, int timeout_ms)
{
    char waiters_path[4096];
    snprintf(waiters_path, sizeof waiters_path, "%s.waiters", path);
    _Atomic uint32_t *waiters = NULL;
    int fd = open(waiters_path, O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        void *map = mmap(NULL, 64, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (map != MAP_FAILED) {
            waiters = (_Atomic uint32_t *)map;
        }
    }
    if (waiters == NULL) {
        fprintf(stderr, "%s: cannot map %s; waiting uncounted (woken by the writer's heartbeat)\n", path, waiters_path);
    }
    printf("waiting\n");
    fflush(stdout);
    const struct ep_header *hh = (const struct ep_header *)base;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long left = timeout_ms - ((long long)(now.tv_sec - start.tv_sec) * 1000LL + (now.tv_nsec - start.tv_nsec) / 1000000LL);
        int changed = left > 0 && ep_wait_for_change(base, waiters, last_seen, left < 250 ? (int)left : 250);
        enum liveness live = judge_liveness(path, base);
        if (live == LIVE_SUPERSEDED) {
            fprintf(stderr, "%s: superseded: the writer replaced the segment; re-open the path\n", path);
            return 6;
        }
        if (changed) {
            break;
        }
        if (live == LIVE_GONE) {
            fprintf(stderr, "%s: the writer (pid %d) is gone: its lease is free; the values are its last\n", path, hh->writer_pid);
            return 7;
        }
        if (left <= 0) {
            fprintf(stderr, "%s: no change within %d ms\n", path, timeout_ms);
            return 4;
        }
    }
    const struct ep_header *h = (const struct ep_header *)base;
    printf("%" PRIu64 "\n", atomic_load_explicit((const _Atomic uint64_t *)&h->change_sequence, memory_order_acquire));
    return 0;
}

int main(int argc, char **argv)
{
    int whole = argc == 2;
    int tag = argc == 4 && strcmp(argv[2], "--tag") == 0;
    int wait = argc == 5 && strcmp(argv[2], "--wait-change") == 0;
    int live = argc == 3 && strcmp(argv[2], "--liveness") == 0;
    if (!whole && !tag && !wait && !live) {
        fprintf(stderr, "usage: %s /dev/shm/edgepart.<partition>.<segment> [--tag NAME | --wait-change SEQ MS | --liveness]\n", argv[0]);
        return 2;
    }
    const char *path = argv[1];
    const uint8_t *base;
    int problem = open_segment(path, &base);
    if (problem != 0) {
        return problem;
    }
    if (tag) {
        return dump_tag(path, base, argv[3]);
    }
    if (wait) {
        return wait_change(path, base, strtoull(argv[3], NULL, 10), atoi(argv[4]));
    }
    if (live) {
        printf("%s\n", liveness_names[judge_liveness(path, base)]);
        return 0;
    }
    const struct ep_header *h = (const struct ep_header *)base;
    const struct ep_tag_entry *tags = (const struct ep_tag_entry *)(base + h->tag_table_offset);

    uint8_t *data = malloc(h->data_size);
    uint64_t commit_sequence, change_sequence;
    if (data == NULL || !ep_snapshot(base, data, 10000, &commit_sequence, &change_sequence)) {
        fprintf(stderr, "%s: no consistent snapshot (writer stuck mid-commit or dead)\n", path);
        return 3;
    }
    const struct ep_status *s = (const struct ep_status *)data;

    printf("{\n  \"path\": ");
    json_string(path, strlen(path), 1);
    printf(",\n  \"layout\": \"%u.%u\",\n  \"schemaHash\": \"0x%016" PRIx64 "\",\n  \"segmentSize\": %" PRIu64 ",\n",
           h->layout_major, h->layout_minor, h->schema_hash, h->segment_size);
    printf("  \"epoch\": \"0x%016" PRIx64 "\",\n  \"state\": \"%s\",\n", h->epoch, h->state < 4 ? segment_states[h->state] : "?");
    printf("  \"writer\": {\"pid\": %d, \"startTicks\": %" PRIu64 ", \"startedUnixNs\": %" PRId64 ", \"heartbeatUnixNs\": %" PRId64
           ", \"heartbeatIntervalMs\": %u},\n",
           h->writer_pid, h->writer_start_ticks, h->writer_started_unix_ns, h->heartbeat_unix_ns, h->heartbeat_interval_ms);
    printf("  \"changeSequence\": %" PRIu64 ",\n  \"commitSequence\": %" PRIu64 ",\n  \"repairs\": %" PRIu64
           ",\n  \"lastCommitUnixNs\": %" PRId64 ",\n",
           h->change_sequence, commit_sequence, h->repair_count, h->last_commit_unix_ns);
    printf("  \"status\": {\"state\": \"%s\", \"stateSinceUnixNs\": %" PRId64, s->state < 6 ? connection_states[s->state] : "?",
           s->state_since_unix_ns);
    printf(", \"readsOk\": %" PRIu64 ", \"readsFailed\": %" PRIu64 ", \"writesOk\": %" PRIu64 ", \"writesFailed\": %" PRIu64,
           s->reads_ok, s->reads_failed, s->writes_ok, s->writes_failed);
    printf(", \"reconnects\": %" PRIu64 ", \"bytesIn\": %" PRIu64 ", \"bytesOut\": %" PRIu64 ", \"cycleCount\": %" PRIu64,
           s->reconnects, s->bytes_in, s->bytes_out, s->cycle_count);
    printf(", \"cycleTimeLastNs\": %" PRId64 ", \"cycleTimeAvgNs\": %" PRId64 ", \"cycleTimeMaxNs\": %" PRId64,
           s->cycle_time_last_ns, s->cycle_time_avg_ns, s->cycle_time_max_ns);
    printf(", \"jitterP50Ns\": %" PRId64 ", \"jitterP99Ns\": %" PRId64 ", \"jitterMaxNs\": %" PRId64 ", \"lastCycleUnixNs\": %" PRId64
           ", \"writeQueueDepth\": %u, \"lastError\": ",
           s->jitter_p50_ns, s->jitter_p99_ns, s->jitter_max_ns, s->last_cycle_unix_ns, s->write_queue_depth);
    json_string(s->last_error, sizeof s->last_error, 1);
    printf(", \"endpoint\": ");
    json_string(s->endpoint, sizeof s->endpoint, 1);
    printf("},\n  \"tags\": [");
    for (uint32_t i = 0; i < h->tag_count; i++) {
        const struct ep_tag_entry *t = &tags[i];
        const struct ep_slot *slot = (const struct ep_slot *)(data + t->slot_offset);
        const char *qname = NULL;
        for (size_t q = 0; q < sizeof quality_names / sizeof quality_names[0]; q++) {
            if (quality_names[q].code == slot->quality) qname = quality_names[q].name;
        }
        printf("%s\n    {\"index\": %u, \"name\": ", i ? "," : "", i);
        json_string(t->name, sizeof t->name, 1);
        printf(", \"address\": ");
        json_string(t->address, sizeof t->address, 1);
        printf(", \"type\": \"%s\", \"arrayLength\": %u, \"maxLength\": %u, \"writable\": %s, \"quality\": %u, \"qualityName\": ",
               type_names[t->data_type], t->array_length, t->max_length, (t->flags & 1) ? "true" : "false", slot->quality);
        if (qname) printf("\"%s\"", qname); else printf("\"0x%08X\"", slot->quality);
        printf(", \"version\": %u, \"sourceTimestampNs\": %" PRId64 ", \"value\": ", slot->version, slot->source_timestamp_ns);
        print_value(data + t->slot_offset + EP_SLOT_HEADER_SIZE, t);
        putchar('}');
    }
    printf("\n  ],\n  \"writeResults\": [");
    uint64_t published;
    memcpy(&published, data + EP_RESULTS_WRITTEN, 8);
    uint64_t retained = published < h->results_capacity ? published : h->results_capacity;
    for (uint64_t i = 0; i < retained; i++) {
        const struct ep_write_result *r = (const struct ep_write_result *)(data + EP_RESULTS_ENTRIES +
            ((published - 1 - i) % h->results_capacity) * EP_RESULT_ENTRY_SIZE);
        printf("%s\n    {\"requestId\": %" PRIu64 ", \"status\": %u, \"tagIndex\": %d, \"enqueuedUnixNs\": %" PRId64
               ", \"startedUnixNs\": %" PRId64 ", \"doneUnixNs\": %" PRId64 ", \"error\": ",
               i ? "," : "", r->request_id, r->status, r->tag_index, r->enqueued_unix_ns, r->started_unix_ns, r->done_unix_ns);
        json_string(r->error, sizeof r->error, 1);
        putchar('}');
    }
    printf("\n  ]\n}\n");
    free(data);
    return 0;
}
