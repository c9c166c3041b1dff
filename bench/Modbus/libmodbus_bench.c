/* libmodbus side of bench/Modbus: N threads, each with its own connection (libmodbus has no pipelining and one
 * context per thread), reading COUNT holding registers from address 0 in a loop for DURATION_MS.
 * Prints: "requests <n> seconds <s> p50_us <x> p99_us <y>".
 * Build: gcc -O2 -o libmodbus_bench libmodbus_bench.c $(pkg-config --cflags --libs libmodbus) -lpthread */
#include <modbus.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SAMPLES 4000000

static const char *host;
static int port, count, duration_ms;
static double *samples;
static long sample_count;
static pthread_mutex_t samples_lock = PTHREAD_MUTEX_INITIALIZER;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void *worker(void *arg)
{
    (void)arg;
    modbus_t *ctx = modbus_new_tcp(host, port);
    modbus_set_slave(ctx, 1);
    modbus_set_response_timeout(ctx, 5, 0);
    if (modbus_connect(ctx) != 0) {
        fprintf(stderr, "connect: %s\n", modbus_strerror(errno));
        exit(1);
    }
    uint16_t regs[125];
    double *local = malloc(sizeof(double) * MAX_SAMPLES);
    long n = 0;
    double end = now_us() + duration_ms * 1000.0;
    for (double t = now_us(); t < end && n < MAX_SAMPLES; ) {
        if (modbus_read_registers(ctx, 0, count, regs) != count) {
            fprintf(stderr, "read: %s\n", modbus_strerror(errno));
            exit(1);
        }
        double after = now_us();
        local[n++] = after - t;
        t = after;
    }
    modbus_close(ctx);
    modbus_free(ctx);
    pthread_mutex_lock(&samples_lock);
    for (long i = 0; i < n && sample_count < MAX_SAMPLES; i++)
        samples[sample_count++] = local[i];
    pthread_mutex_unlock(&samples_lock);
    free(local);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s HOST PORT REGISTERS THREADS DURATION_MS\n", argv[0]);
        return 2;
    }
    host = argv[1];
    port = atoi(argv[2]);
    count = atoi(argv[3]);
    int threads = atoi(argv[4]);
    duration_ms = atoi(argv[5]);
    samples = malloc(sizeof(double) * MAX_SAMPLES);
    pthread_t ids[64];
    double start = now_us();
    for (int i = 0; i < threads; i++)
        pthread_create(&ids[i], NULL, worker, NULL);
    for (int i = 0; i < threads; i++)
        pthread_join(ids[i], NULL);
    double seconds = (now_us() - start) / 1e6;
    qsort(samples, sample_count, sizeof(double), compare);
    printf("requests %ld seconds %.3f p50_us %.1f p99_us %.1f\n", sample_count, seconds,
           samples[sample_count / 2], samples[(long)(sample_count * 0.99)]);
    return 0;
}
