#pragma once

#include <QCoreApplication>
#include <QStringList>

#include <functional>
#include <optional>

namespace MigrationDesk {

struct SqlError;
class VersionTable;

// Takes one of the runner's advisory locks, polling until it is free and saying who
// holds it meanwhile. Blocks the calling thread (the runner's); shares the runner's translation context.
class AdvisoryLockWaiter
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationRunner)

public:
    using QueryFunction = std::function<std::optional<QList<QStringList>>(const QString &, const QStringList &, SqlError *)>;
    enum class Outcome { Taken, Cancelled, Failed };
    // Why the lock is waited for, which decides the words of the waiting note.
    enum class Holder { OtherMigration, InterruptedRun };

    // How long the lock lasts once taken: the session's life, or (behind a connection pooler, where a
    // session lock would stay with a pooled server session) the transaction the caller opened for it.
    enum class Lifetime { Session, Transaction };

    // `scope` is the version table's name: runs on other version tables of the database never wait.
    AdvisoryLockWaiter(QueryFunction query, qint32 key, const QString &scope, int pollIntervalMs,
                       Lifetime lifetime = Lifetime::Session);

    // The scope that names the version table itself, not its spelling: its schema resolved by the server
    // (where the table is now, else the schema an unqualified CREATE would use) and its name, quoted.
    // `alembic_version` and `public.alembic_version` give the same scope, so their runs wait for each other.
    static std::optional<QString> scopeFor(const QueryFunction &query, const VersionTable &table, SqlError *error);

    // Polls until the lock is taken, cancelled() says stop, or a query fails (*error says why).
    // waiting(holder, note) is called on the first miss and every 10 s after.
    Outcome take(Holder holder, const std::function<bool()> &cancelled,
                 const std::function<void(const QString &who, const QString &note)> &waiting, QString *error);

private:
    QString describeHolder() const;

    QueryFunction m_query;
    QString m_key;
    QString m_scope;
    int m_pollIntervalMs;
    Lifetime m_lifetime;
};

} // namespace MigrationDesk
