#pragma once

#include <QString>

typedef struct pg_cancel PGcancel;

namespace MigrationDesk {

// Cancels the statement running on one connection. Made on the connection's thread, then cancel() may
// be called from any thread, also after the connection closed (it then does nothing harmful).
class QueryCanceller
{
public:
    explicit QueryCanceller(PGcancel *cancel);
    ~QueryCanceller();
    QueryCanceller(const QueryCanceller &) = delete;
    QueryCanceller &operator=(const QueryCanceller &) = delete;

    // Asks the server to cancel whatever the connection is running; true if the request was delivered
    // (the statement then fails with SQLSTATE 57014, unless it had already finished).
    bool cancel(QString *error = nullptr);

private:
    PGcancel *m_cancel = nullptr;
};

} // namespace MigrationDesk
