/*
 * EdgePartition shared-memory segment format, layout 2.0 (see ipc-schema/SCHEMA.md).
 * Header-only: offsets, enums, the seqlock snapshot and one-tag reads, and the counted futex wait, for C11
 * readers on Linux (x86-64, ARM64).
 * Readers open the file O_RDONLY and map it PROT_READ, MAP_SHARED; they never write.
 */
#ifndef EDGEPART_SHM_H
#define EDGEPART_SHM_H

/* syscall(2) and clock_gettime(2) are not declared under a strict -std=c11: include this header before any system
 * header (or compile with -D_GNU_SOURCE). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EP_MAGIC 0x4745535045474445ULL       /* "EDGEPSEG" little-endian */
#define EP_QUEUE_MAGIC 0x5152575045474445ULL /* "EDGEPWRQ" little-endian */
#define EP_LAYOUT_MAJOR 2
#define EP_HEADER_SIZE 320
#define EP_TAG_ENTRY_SIZE 192
#define EP_SLOT_HEADER_SIZE 16
#define EP_STATUS_SIZE 512
#define EP_RESULTS_WRITTEN 512
#define EP_RESULTS_ENTRIES 576
#define EP_RESULT_ENTRY_SIZE 128

/* Header (segment offset 0). Line 0 is immutable once the magic is set. */
struct ep_header {
    uint64_t magic;               /*   0 */
    uint16_t layout_major;        /*   8 */
    uint16_t layout_minor;        /*  10 */
    uint32_t header_size;         /*  12 */
    uint64_t schema_hash;         /*  16  FNV-1a 64 of the tag table */
    uint64_t segment_size;        /*  24 */
    uint32_t tag_count;           /*  32 */
    uint32_t tag_entry_size;      /*  36 */
    uint64_t tag_table_offset;    /*  40 */
    uint64_t data_offset;         /*  48 */
    uint32_t data_size;           /*  56 */
    uint32_t results_capacity;    /*  60 */
    /* line 1: writer liveness */
    uint64_t epoch;               /*  64 */
    int32_t writer_pid;           /*  72 */
    uint32_t state;               /*  76  0 Initializing, 1 Live, 2 Stopped, 3 Superseded */
    uint64_t writer_start_ticks;  /*  80  /proc/<pid>/stat field 22 */
    int64_t heartbeat_mono_ns;    /*  88  CLOCK_MONOTONIC */
    int64_t heartbeat_unix_ns;    /*  96 */
    uint32_t heartbeat_interval_ms; /* 104 */
    uint32_t reserved1;           /* 108 */
    int64_t writer_started_unix_ns; /* 112 */
    uint64_t repair_count;        /* 120 */
    /* line 2: the seqlock word alone */
    uint64_t commit_sequence;     /* 128  odd while a commit is in progress */
    uint8_t reserved2[56];
    /* line 3: change notification, written once per commit after everything else */
    uint64_t change_sequence;     /* 192 */
    uint32_t futex_word;          /* 200  low 32 bits of change_sequence */
    uint8_t reserved3[52];
    /* line 4: informational, written after the wake-up */
    int64_t last_commit_unix_ns;  /* 256 */
    int64_t last_commit_mono_ns;  /* 264 */
    uint8_t reserved4[EP_HEADER_SIZE - 272];
};

/* Tag table entry (tag_table_offset + i * 192). */
struct ep_tag_entry {
    char name[64];                /*   0  UTF-8, NUL padded */
    char address[64];             /*  64 */
    uint16_t data_type;           /* 128  enum ep_data_type */
    uint16_t flags;               /* 130  bit 0 writable */
    uint32_t array_length;        /* 132 */
    uint32_t max_length;          /* 136  String/Bytes only */
    uint32_t element_size;        /* 140 */
    uint32_t slot_offset;         /* 144  from data_offset */
    uint32_t value_size;          /* 148 */
    uint8_t reserved[40];
};

/* Status block: the first 512 bytes of the data area (published with the values, under the seqlock). */
struct ep_status {
    uint32_t state;               /*   0  enum ep_connection_state */
    uint32_t reserved0;
    int64_t state_since_unix_ns;  /*   8 */
    uint64_t reads_ok, reads_failed, writes_ok, writes_failed, reconnects, bytes_in, bytes_out, cycle_count; /* 16..79 */
    int64_t cycle_time_last_ns, cycle_time_avg_ns, cycle_time_max_ns;  /*  80..103 */
    int64_t jitter_p50_ns, jitter_p99_ns, jitter_max_ns;              /* 104..127 */
    int64_t last_cycle_unix_ns;   /* 128 */
    uint32_t write_queue_depth;   /* 136 */
    uint8_t reserved1[192 - 140];
    char last_error[256];         /* 192 */
    char endpoint[64];            /* 448 */
};

/* Write result (data area + 576 + i * 128). */
struct ep_write_result {
    uint64_t request_id;          /*   0 */
    uint32_t status;              /*   8  OPC UA StatusCode */
    int32_t tag_index;            /*  12 */
    int64_t enqueued_unix_ns;     /*  16 */
    int64_t started_unix_ns;      /*  24 */
    int64_t done_unix_ns;         /*  32 */
    char error[88];               /*  40 */
};

/* Tag slot header (data area + slot_offset); value bytes follow at +16. */
struct ep_slot {
    uint32_t quality;             /*   0 */
    uint32_t version;             /*   4  low 32 bits of the commit_sequence that last wrote the slot; odd: being written */
    int64_t source_timestamp_ns;  /*   8 */
};

enum ep_data_type {
    EP_BOOL = 1, EP_INT8, EP_UINT8, EP_INT16, EP_UINT16, EP_INT32, EP_UINT32, EP_INT64, EP_UINT64,
    EP_FLOAT32, EP_FLOAT64, EP_STRING, EP_DATETIME, EP_DURATION, EP_BYTES
};

enum ep_connection_state { EP_IDLE, EP_CONNECTING, EP_CONNECTED, EP_DISCONNECTED, EP_FAULTED, EP_STOPPED };

_Static_assert(sizeof(struct ep_header) == EP_HEADER_SIZE, "header size");
_Static_assert(offsetof(struct ep_header, epoch) == 64, "epoch offset");
_Static_assert(offsetof(struct ep_header, commit_sequence) == 128, "seqlock offset");
_Static_assert(offsetof(struct ep_header, change_sequence) == 192, "change offset");
_Static_assert(offsetof(struct ep_header, futex_word) == 200, "futex offset");
_Static_assert(offsetof(struct ep_header, last_commit_mono_ns) == 264, "last commit offset");
_Static_assert(sizeof(struct ep_tag_entry) == EP_TAG_ENTRY_SIZE, "tag entry size");
_Static_assert(offsetof(struct ep_tag_entry, slot_offset) == 144, "slot offset offset");
_Static_assert(sizeof(struct ep_status) == EP_STATUS_SIZE, "status size");
_Static_assert(offsetof(struct ep_status, last_cycle_unix_ns) == 128, "last cycle offset");
_Static_assert(offsetof(struct ep_status, last_error) == 192, "last error offset");
_Static_assert(sizeof(struct ep_write_result) == EP_RESULT_ENTRY_SIZE, "result size");
_Static_assert(sizeof(struct ep_slot) == EP_SLOT_HEADER_SIZE, "slot header size");
_Static_assert(offsetof(struct ep_slot, version) == 4, "slot version offset");

/* FNV-1a 64 over the tag table: must equal header.schema_hash. */
static inline uint64_t ep_fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    return h;
}

/*
 * Copies the data area into dst under the seqlock. Returns 1 and the even commit sequence of the copy, or 0 if
 * no consistent copy was obtained in max_attempts (writer stuck mid-commit or dead: check liveness).
 * The acquire load of the sequence orders the copy after it; the acquire fence orders the copy before the
 * second load. Correct on ARM64 as well as x86-64.
 */
static inline int ep_snapshot(const uint8_t *base, void *dst, int max_attempts, uint64_t *commit_sequence,
                              uint64_t *change_sequence)
{
    const struct ep_header *h = (const struct ep_header *)base;
    const _Atomic uint64_t *seq = (const _Atomic uint64_t *)&h->commit_sequence;
    const _Atomic uint64_t *change = (const _Atomic uint64_t *)&h->change_sequence;
    for (int attempt = 0; attempt < max_attempts; attempt++) {
        uint64_t c = atomic_load_explicit(change, memory_order_acquire);
        uint64_t before = atomic_load_explicit(seq, memory_order_acquire);
        if (before & 1) {
            continue;
        }
        memcpy(dst, base + h->data_offset, h->data_size);
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(seq, memory_order_relaxed) == before) {
            *commit_sequence = before;
            *change_sequence = c;
            return 1;
        }
    }
    return 0;
}

/*
 * Copies one tag's slot (header and value_size value bytes) into dst under the slot's own seqlock, the version word
 * (SCHEMA.md 3.2). Returns 1 and the even version, or 0 after max_attempts collisions.
 */
static inline int ep_read_tag(const uint8_t *base, const struct ep_tag_entry *tag, struct ep_slot *slot_out,
                              void *value_out, int max_attempts, uint32_t *version_out)
{
    const struct ep_header *h = (const struct ep_header *)base;
    const uint8_t *slot = base + h->data_offset + tag->slot_offset;
    const _Atomic uint32_t *version = (const _Atomic uint32_t *)(slot + offsetof(struct ep_slot, version));
    for (int attempt = 0; attempt < max_attempts; attempt++) {
        uint32_t before = atomic_load_explicit(version, memory_order_acquire);
        if (before & 1) {
            continue;
        }
        memcpy(slot_out, slot, EP_SLOT_HEADER_SIZE);
        memcpy(value_out, slot + EP_SLOT_HEADER_SIZE, tag->value_size);
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(version, memory_order_relaxed) == before) {
            slot_out->version = before;
            *version_out = before;
            return 1;
        }
    }
    return 0;
}

/*
 * Sleeps until change_sequence differs from last_seen or timeout_ms passes (SCHEMA.md 4.3). waiters is the u32 at
 * offset 0 of the segment's .waiters file mapped PROT_READ|PROT_WRITE, MAP_SHARED; NULL waits uncounted (then the
 * writer's heartbeat wakes at most every 100 ms). Returns 1 when the sequence moved, 0 on timeout.
 */
static inline int ep_wait_for_change(const uint8_t *base, _Atomic uint32_t *waiters, uint64_t last_seen,
                                     int timeout_ms)
{
    const struct ep_header *h = (const struct ep_header *)base;
    const _Atomic uint64_t *change = (const _Atomic uint64_t *)&h->change_sequence;
    struct timespec now, deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    for (;;) {
        if (waiters != NULL) {
            atomic_fetch_add_explicit(waiters, 1, memory_order_seq_cst);
        }
        int changed = atomic_load_explicit(change, memory_order_seq_cst) != last_seen;
        if (!changed) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            long long left_ns = (long long)(deadline.tv_sec - now.tv_sec) * 1000000000LL + (deadline.tv_nsec - now.tv_nsec);
            if (left_ns > 0) {
                struct timespec left = { (time_t)(left_ns / 1000000000LL), (long)(left_ns % 1000000000LL) };
                /* A shared futex (not FUTEX_PRIVATE): the writer is another process. Works on a read-only map. */
                syscall(SYS_futex, &h->futex_word, FUTEX_WAIT, (uint32_t)last_seen, &left, NULL, 0);
            }
        }
        if (waiters != NULL) {
            atomic_fetch_sub_explicit(waiters, 1, memory_order_seq_cst);
        }
        if (changed || atomic_load_explicit(change, memory_order_acquire) != last_seen) {
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec)) {
            return 0;
        }
    }
}

#endif
