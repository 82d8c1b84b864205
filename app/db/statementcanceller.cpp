#include "db/statementcanceller.h"

#include "db/querycanceller.h"

#include <QMutex>
#include <QMutexLocker>
#include <QThreadPool>

#include <atomic>

namespace MigrationDesk {

struct StatementCanceller::State
{
    QMutex mutex; // held while a cancel is delivered, so no scope starts or ends meanwhile
    // Written under the mutex; read without it by cancelCurrent(), which must never wait on a delivery.
    std::atomic<quint64> scope{0};
    std::atomic<bool> running{false};
    std::shared_ptr<QueryCanceller> canceller;
};

StatementCanceller::StatementCanceller()
    : m_state(std::make_shared<State>())
{
}

void StatementCanceller::setCanceller(std::unique_ptr<QueryCanceller> canceller)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->canceller = std::move(canceller);
}

StatementCanceller::Scope::Scope(StatementCanceller &owner)
    : m_owner(owner)
{
    QMutexLocker lock(&m_owner.m_state->mutex);
    m_owner.m_state->scope.fetch_add(1);
    m_owner.m_state->running.store(true);
}

StatementCanceller::Scope::~Scope()
{
    QMutexLocker lock(&m_owner.m_state->mutex);
    m_owner.m_state->running.store(false);
}

void StatementCanceller::cancelCurrent()
{
    // The scope first: should it end and the next begin between the two loads, the cancel is dropped
    // rather than aimed at a scope that started after this call.
    const quint64 target = m_state->scope.load();
    if (!m_state->running.load())
        return;
    QThreadPool::globalInstance()->start([state = m_state, target] {
        QMutexLocker lock(&state->mutex);
        // The server drops a cancel that finds the session idle, so one sent while this scope's last
        // statement is finishing is harmless; the next scope waits on the lock until it is delivered.
        if (state->running.load() && state->scope.load() == target && state->canceller)
            state->canceller->cancel();
    });
}

} // namespace MigrationDesk
