#pragma once

#include "migrations/revisiongraph.h"
#include "migrations/versiontable.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

class PgConnection;
struct SqlError;

// One recorded run of one revision (a row of migrationdesk.history).
struct HistoryEntry
{
    qint64 id = 0;
    QString runId;
    QString versionTable;
    QString revision;
    QString direction;      // "upgrade", "downgrade" or "stamp"
    QDateTime startedAt;    // UTC
    double durationMs = 0;
    QString dbUser;
    QString osUser;
    QString clientHost;
    QString appVersion;
    QString scriptSha256;
    bool success = false;
    QString error;
    int statements = 0;
};

// A snapshot of the user's schema as recorded after a run.
struct StoredSnapshot
{
    QStringList heads;
    QDateTime takenAt;
    QString fingerprint;
    QString text;
};

// A non-transactional revision that started but never recorded itself (a row of migrationdesk.interrupted).
struct InterruptedRun
{
    QString revision;
    QString direction;
    int statementsDone = 0;
    int statementsTotal = 0;
    QString scriptSha256;
    QDateTime startedAt;
};

// MigrationDesk's own tables in the `migrationdesk` schema plus the Alembic version table: reads
// and writes them through one connection, on that connection's thread. Every value is bound.
class Bookkeeping
{
public:
    static QString schemaName() { return QStringLiteral("migrationdesk"); }

    Bookkeeping(PgConnection *connection, const VersionTable &versionTable);

    // Creates the schema and its tables if missing (idempotent; run under the advisory lock).
    bool ensureSchema(SqlError *error);
    bool schemaExists(SqlError *error = nullptr);

    bool versionTableExists(SqlError *error);
    bool ensureVersionTable(SqlError *error);
    // The heads recorded in the version table, sorted; an empty list when the table does not exist.
    std::optional<QStringList> readHeads(SqlError *error);
    bool applyOps(const QList<VersionOp> &ops, SqlError *error);

    bool recordHistory(const HistoryEntry &entry, SqlError *error);
    // Newest first; all revisions when revision is empty. Empty when nothing was ever recorded.
    std::optional<QList<HistoryEntry>> history(const QString &revision, int limit, SqlError *error);
    // Revision -> checksum of its latest successful upgrade or stamp.
    std::optional<QHash<QString, QString>> appliedChecksums(SqlError *error);

    bool saveSnapshot(const QStringList &heads, const QString &fingerprint, const QString &text, SqlError *error);
    std::optional<StoredSnapshot> loadSnapshot(SqlError *error); // nullopt with empty error: none stored

    bool markInterrupted(const InterruptedRun &run, SqlError *error);
    bool clearInterrupted(const QString &revision, SqlError *error);
    std::optional<QList<InterruptedRun>> interrupted(SqlError *error);

private:
    PgConnection *m_connection;
    VersionTable m_versionTable;
};

} // namespace MigrationDesk
