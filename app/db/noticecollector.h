#pragma once

#include <QMutex>
#include <QStringList>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace MigrationDesk {

// Collects the NOTICE/WARNING/INFO messages of one libpq connection. Attached and detached on the
// connection's thread; libpq calls into it there while a statement runs; take() may be called from any thread.
class NoticeCollector
{
public:
    NoticeCollector() = default;
    NoticeCollector(const NoticeCollector &) = delete;
    NoticeCollector &operator=(const NoticeCollector &) = delete;

    // Becomes conn's notice receiver, remembering the one it replaces.
    void attach(PGconn *conn);
    // Gives conn its previous receiver back, so a connection that outlives us never calls into us.
    void detach(PGconn *conn);

    // The messages received since the last call, oldest first, each as "SEVERITY: message" with
    // DETAIL/HINT lines when present.
    QStringList take();

private:
    using Receiver = void (*)(void *arg, const PGresult *result);
    static void receive(void *arg, const PGresult *result);

    QMutex m_mutex;
    QStringList m_notices;
    Receiver m_previous = nullptr;
    void *m_previousArg = nullptr;
};

} // namespace MigrationDesk
