// libpq, loaded the first time one of its functions is called rather than when the process starts.
// libpq brings 21 shared libraries of its own (Kerberos, LDAP, SASL, GnuTLS, OpenSSL, ...): loading and
// relocating them cost the desktop app about a sixth of its time to the first paint and 4 MB of
// resident memory, for a window that has no connection yet. Every libpq function the project calls is
// defined here with libpq's own prototype and forwards to the real one, resolved once (thread-safe:
// function-local statics). The executables therefore do not link libpq; the QPSQL plugin, which does,
// shares the same loaded copy. Calling a function missing from this list fails at link time, never at
// run time: add it below.

#include <libpq-fe.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace {

void *libpqHandle()
{
    static void *const handle = [] {
        void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_GLOBAL);
        if (!h) {
            // A broken installation (the package depends on libpq5): nothing sensible can go on.
            std::fprintf(stderr, "migrationdesk: cannot load libpq.so.5 (%s)\n", dlerror());
            std::abort();
        }
        return h;
    }();
    return handle;
}

void *libpqSymbol(const char *name)
{
    void *symbol = dlsym(libpqHandle(), name);
    if (!symbol) {
        std::fprintf(stderr, "migrationdesk: libpq.so.5 has no %s: it is older than this program needs\n", name);
        std::abort();
    }
    return symbol;
}

} // namespace

#define MD_LIBPQ(ret, name, params, args)                                                   \
    extern "C" ret name params                                                              \
    {                                                                                       \
        static const auto real = reinterpret_cast<ret(*) params>(libpqSymbol(#name));       \
        return real args;                                                                   \
    }

// Connections
MD_LIBPQ(PGconn *, PQconnectdbParams, (const char *const *keywords, const char *const *values, int expand_dbname),
         (keywords, values, expand_dbname))
MD_LIBPQ(void, PQfinish, (PGconn *conn), (conn))
MD_LIBPQ(PQconninfoOption *, PQconndefaults, (void), ())
MD_LIBPQ(PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg), (conninfo, errmsg))
MD_LIBPQ(void, PQconninfoFree, (PQconninfoOption *connOptions), (connOptions))
MD_LIBPQ(ConnStatusType, PQstatus, (const PGconn *conn), (conn))
MD_LIBPQ(PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn))
MD_LIBPQ(const char *, PQparameterStatus, (const PGconn *conn, const char *paramName), (conn, paramName))
MD_LIBPQ(int, PQserverVersion, (const PGconn *conn), (conn))
MD_LIBPQ(char *, PQerrorMessage, (const PGconn *conn), (conn))
MD_LIBPQ(int, PQsocket, (const PGconn *conn), (conn))
MD_LIBPQ(int, PQbackendPID, (const PGconn *conn), (conn))
MD_LIBPQ(char *, PQdb, (const PGconn *conn), (conn))
MD_LIBPQ(char *, PQuser, (const PGconn *conn), (conn))
MD_LIBPQ(char *, PQhost, (const PGconn *conn), (conn))
MD_LIBPQ(char *, PQport, (const PGconn *conn), (conn))
MD_LIBPQ(int, PQconnectionNeedsPassword, (const PGconn *conn), (conn))
MD_LIBPQ(int, PQconnectionUsedPassword, (const PGconn *conn), (conn))
MD_LIBPQ(int, PQsslInUse, (PGconn *conn), (conn))
MD_LIBPQ(const char *, PQsslAttribute, (PGconn *conn, const char *attribute_name), (conn, attribute_name))
MD_LIBPQ(PQnoticeReceiver, PQsetNoticeReceiver, (PGconn *conn, PQnoticeReceiver proc, void *arg), (conn, proc, arg))
MD_LIBPQ(int, PQlibVersion, (void), ())
MD_LIBPQ(char *, PQencryptPasswordConn, (PGconn *conn, const char *passwd, const char *user, const char *algorithm),
         (conn, passwd, user, algorithm))

// Cancelling
MD_LIBPQ(PGcancel *, PQgetCancel, (PGconn *conn), (conn))
MD_LIBPQ(void, PQfreeCancel, (PGcancel *cancel), (cancel))
MD_LIBPQ(int, PQcancel, (PGcancel *cancel, char *errbuf, int errbufsize), (cancel, errbuf, errbufsize))

// Queries
MD_LIBPQ(PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
MD_LIBPQ(PGresult *, PQexecParams,
         (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues,
          const int *paramLengths, const int *paramFormats, int resultFormat),
         (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
MD_LIBPQ(int, PQsendQuery, (PGconn *conn, const char *query), (conn, query))
MD_LIBPQ(int, PQsendQueryParams,
         (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues,
          const int *paramLengths, const int *paramFormats, int resultFormat),
         (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
MD_LIBPQ(int, PQsetSingleRowMode, (PGconn *conn), (conn))
MD_LIBPQ(PGresult *, PQgetResult, (PGconn *conn), (conn))
MD_LIBPQ(int, PQisBusy, (PGconn *conn), (conn))
MD_LIBPQ(int, PQconsumeInput, (PGconn *conn), (conn))
MD_LIBPQ(int, PQflush, (PGconn *conn), (conn))
MD_LIBPQ(int, PQenterPipelineMode, (PGconn *conn), (conn))
MD_LIBPQ(int, PQexitPipelineMode, (PGconn *conn), (conn))
MD_LIBPQ(int, PQpipelineSync, (PGconn *conn), (conn))
MD_LIBPQ(int, PQsendFlushRequest, (PGconn *conn), (conn))
MD_LIBPQ(PGpipelineStatus, PQpipelineStatus, (const PGconn *conn), (conn))

// COPY
MD_LIBPQ(int, PQputCopyData, (PGconn *conn, const char *buffer, int nbytes), (conn, buffer, nbytes))
MD_LIBPQ(int, PQputCopyEnd, (PGconn *conn, const char *errormsg), (conn, errormsg))
MD_LIBPQ(int, PQgetCopyData, (PGconn *conn, char **buffer, int async), (conn, buffer, async))

// Results
MD_LIBPQ(ExecStatusType, PQresultStatus, (const PGresult *res), (res))
MD_LIBPQ(char *, PQresultErrorMessage, (const PGresult *res), (res))
MD_LIBPQ(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
MD_LIBPQ(int, PQntuples, (const PGresult *res), (res))
MD_LIBPQ(int, PQnfields, (const PGresult *res), (res))
MD_LIBPQ(char *, PQfname, (const PGresult *res, int field_num), (res, field_num))
MD_LIBPQ(Oid, PQftype, (const PGresult *res, int field_num), (res, field_num))
MD_LIBPQ(char *, PQcmdTuples, (PGresult *res), (res))
MD_LIBPQ(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
MD_LIBPQ(int, PQgetlength, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
MD_LIBPQ(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
MD_LIBPQ(void, PQclear, (PGresult *res), (res))
MD_LIBPQ(void, PQfreemem, (void *ptr), (ptr))
