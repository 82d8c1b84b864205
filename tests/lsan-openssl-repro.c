/* Why tests/lsan.supp suppresses libcrypto: a thread that authenticated through libpq (SCRAM or TLS) and
 * ends after exit() has begun leaves OpenSSL's per-thread state behind, because OpenSSL's atexit cleanup has
 * already deleted the thread-local keys whose destructors would free it. A QThread is detached, so its
 * wait() can return before that point; CI saw it once on tst_trashstore (7,678 bytes in 46 allocations).
 * Not built with the project. Against any server that asks for a password:
 *
 *   gcc -g -fsanitize=address lsan-openssl-repro.c -I/usr/include/postgresql -lpq -lpthread -o repro
 *   ./repro 'host=127.0.0.1 port=5432 user=postgres password=pw dbname=postgres'   # the same 7,678 bytes
 *   LSAN_OPTIONS=suppressions=lsan.supp ./repro '...'                              # clean
 *   LSAN_OPTIONS=suppressions=lsan.supp ./repro '...' leak   # a PGconn left open is still reported
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *conninfo;
static int leak;
static volatile int connected;

static void *connectAndLinger(void *unused)
{
    (void)unused;
    PGconn *conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK)
        fprintf(stderr, "%s", PQerrorMessage(conn));
    if (!leak)
        PQfinish(conn);
    connected = 1;
    usleep(300000); /* still running when main() returns, as a QThread that wait() let go of */
    return NULL;
}

static void lateExitHandler(void)
{
    usleep(600000); /* registered before OpenSSL's: runs after its cleanup, before LeakSanitizer's check */
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    conninfo = argv[1];
    leak = argc > 2;
    atexit(lateExitHandler);
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_create(&thread, &attributes, connectAndLinger, NULL);
    while (!connected)
        usleep(1000);
    return 0;
}
