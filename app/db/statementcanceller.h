#pragma once

#include <QtGlobal>

#include <memory>

namespace MigrationDesk {

class QueryCanceller;

// Cancels the statement scope running on one connection, and only that one: a cancel aimed at a scope
// that has ended is dropped, and the next scope starts only after a cancel in flight was delivered (a
// PQcancel that lands late would otherwise fail whatever the connection runs next). The connection's
// thread opens scopes; cancelCurrent() may be called from any thread and never blocks.
class StatementCanceller
{
public:
    StatementCanceller();

    // On the connection's thread, whenever the connection is (re)opened or closed (null).
    void setCanceller(std::unique_ptr<QueryCanceller> canceller);

    // Marks one or more statements as running while it lives; the connection's thread only.
    class Scope
    {
    public:
        explicit Scope(StatementCanceller &owner);
        ~Scope();
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;

    private:
        StatementCanceller &m_owner;
    };

    // Any thread: cancels the scope running now; nothing when idle. The request (PQcancel opens a
    // connection to the server) goes out from the global thread pool, never from the caller's thread.
    void cancelCurrent();

private:
    struct State;
    std::shared_ptr<State> m_state; // shared with cancel requests still on their way
};

} // namespace MigrationDesk
