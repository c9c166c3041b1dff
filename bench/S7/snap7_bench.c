/* Times snap7's own C++ client (static library from the node-snap7 build) for the S7 comparison benchmark.
 * Build: g++ -O2 -x c snap7_bench.c snap7.a -lpthread -o snap7_bench   (the harness does this)
 * Usage: snap7_bench PORT ITERATIONS CASE [TAGFILE]
 *   CASE: db16 | db200 | db4096 (DBRead of DB1 from byte 0) | tags (ReadMultiVars of the tags in TAGFILE:
 *         one "db offset length" per line, sent 20 per call, snap7's MaxVars)
 * Prints one line: "p50_us p99_us round_trips_per_poll pdu". No JavaScript is in the timed path. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef uintptr_t S7Object;
typedef struct { int Area; int WordLen; int Result; int DBNumber; int Start; int Amount; void *pdata; } TS7DataItem;

/* snap7 C API (extern "C" in snap7_libmain.h); Cli_Destroy takes a C++ reference, i.e. a pointer. */
S7Object Cli_Create(void);
void Cli_Destroy(S7Object *client);
int Cli_SetParam(S7Object client, int param, void *value);
int Cli_ConnectTo(S7Object client, const char *address, int rack, int slot);
int Cli_Disconnect(S7Object client);
int Cli_DBRead(S7Object client, int db, int start, int size, void *data);
int Cli_ReadMultiVars(S7Object client, TS7DataItem *items, int count);
int Cli_GetPduLength(S7Object client, int *requested, int *negotiated);

enum { RemotePortParam = 2, AreaDB = 0x84, WordLenByte = 0x02, MaxVars = 20, MaxTags = 1000 };

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: snap7_bench PORT ITERATIONS CASE [TAGFILE]\n"); return 2; }
    uint16_t port = (uint16_t)atoi(argv[1]);
    int iterations = atoi(argv[2]);
    const char *name = argv[3];
    static unsigned char buffer[65536];
    static TS7DataItem items[MaxTags];
    int tags = 0, size = 0;
    if (name[0] == 't') {
        FILE *file = fopen(argv[4], "r");
        if (!file) { perror("tag file"); return 2; }
        int db, offset, length, used = 0;
        while (tags < MaxTags && fscanf(file, "%d %d %d", &db, &offset, &length) == 3) {
            TS7DataItem item = { AreaDB, WordLenByte, 0, db, offset, length, buffer + used };
            items[tags++] = item;
            used += length;
        }
        fclose(file);
    } else {
        size = atoi(name + 2);
    }

    S7Object client = Cli_Create();
    Cli_SetParam(client, RemotePortParam, &port);
    int error = Cli_ConnectTo(client, "127.0.0.1", 0, 1);
    if (error) { fprintf(stderr, "connect failed: 0x%x\n", error); return 1; }
    int requested = 0, pdu = 0;
    Cli_GetPduLength(client, &requested, &pdu);

    double *samples = malloc(sizeof(double) * iterations);
    int warmup = iterations / 10 + 10;
    for (int i = -warmup; i < iterations; i++) {
        double start = now_us();
        if (tags) {
            for (int first = 0; first < tags; first += MaxVars) {
                int count = tags - first < MaxVars ? tags - first : MaxVars;
                error = Cli_ReadMultiVars(client, items + first, count);
                if (error) break;
            }
        } else {
            error = Cli_DBRead(client, 1, 0, size, buffer);
        }
        if (error) { fprintf(stderr, "read failed: 0x%x\n", error); return 1; }
        if (i >= 0) samples[i] = now_us() - start;
    }
    qsort(samples, iterations, sizeof(double), compare);
    int chunk = pdu - 18;
    int trips = tags ? (tags + MaxVars - 1) / MaxVars : (size + chunk - 1) / chunk;
    printf("%.1f %.1f %d %d\n", samples[iterations / 2], samples[(int)(iterations * 0.99)], trips, pdu);
    Cli_Disconnect(client);
    Cli_Destroy(&client);
    free(samples);
    return 0;
}
