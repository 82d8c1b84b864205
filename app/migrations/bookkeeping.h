#pragma once

#include "db/pgpipeline.h"
#include "migrations/revisiongraph.h"
#include "migrations/statementlog.h"
#include "migrations/versiontable.h"

#include <QDateTime>
#include <QHash>
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
    QString backupPath;                  // the pg_dump file the run wrote before it changed anything
    QList<LoggedStatement> statementLog; // written with the row; read only by HistoryQuery::statementLog
};

// A snapshot of the user's schema as recorded after a run.
struct StoredSnapshot
{
    QStringList heads;
    QDateTime takenAt;
    QString fingerprint;
    QString text;
};

// What `check` and the status bar read before anything else: the heads, the applied checksums and the
// stored snapshot (none when nothing was stored).
struct BookkeepingOverview
{
    QStringList heads;
    QHash<QString, QString> appliedChecksums;
    std::optional<StoredSnapshot> snapshot;
    // The caller's statements that rode along (readOverview's extras), one result each; empty when they
    // did not go (a table was missing, or a transaction was open): the caller then asks on its own.
    QList<PgPipeline::Result> extras;
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

    // Pins the version table to one schema, found once through the search_path (the schema that holds
    // the table, else the one CREATE would use), so that a script changing search_path cannot redirect
    // the bookkeeping writes. Without it, an unqualified name follows the session's search_path.
    bool resolveVersionTable(SqlError *error);
    const VersionTable &versionTable() const { return m_target; } // resolved, once resolveVersionTable() ran

    bool versionTableExists(SqlError *error);
    // Creates the table only when it is missing, as Alembic does: CREATE ... IF NOT EXISTS would still need
    // the CREATE right on the schema, which a role that only alters its own tables may not have.
    bool ensureVersionTable(SqlError *error);
    // The heads recorded in the version table, sorted; an empty list when the table does not exist.
    std::optional<QStringList> readHeads(SqlError *error);
    // Each UPDATE and DELETE must match exactly one row, and each INSERT add one (Alembic's "expected
    // to match one row"); otherwise it fails and the caller rolls back.
    bool applyOps(const QList<VersionOp> &ops, SqlError *error);
    // The version table's identity (OID, file node, name, columns) and rows in one string, "absent" when it
    // does not exist: equal before and after a script unless the script dropped, renamed, truncated,
    // altered or wrote to it.
    std::optional<QString> versionTableState(SqlError *error);
    // The two halves of that state for a pipeline: the identity (one row, NULL when the table does not exist)
    // and the rows (which fail to read when it does not); stateOf() joins what they read.
    PgPipeline::Statement identityRead() const;
    PgPipeline::Statement rowsRead() const;
    static QString stateOf(const QString &identity, const QString &rows);
    // Whether the table existed when readHeads() or versionTableState() last looked.
    bool versionTableSeen() const { return m_versionTableSeen; }
    // applyOps()'s message for a write that did not match exactly one row.
    QString opMismatch(const VersionOp &op, qsizetype found) const;

    bool recordHistory(const HistoryEntry &entry, SqlError *error);
    PgPipeline::Statement historyInsert(const HistoryEntry &entry) const; // recordHistory() for a pipeline
    // Newest first; all revisions when revision is empty. Empty when nothing was ever recorded.
    std::optional<QList<HistoryEntry>> history(const QString &revision, int limit, SqlError *error);
    // history() as a statement for a pipeline, once the schema is known to exist; HistoryQuery::entriesFrom()
    // reads its rows. It fails on a history that predates this version's columns.
    PgPipeline::Statement historyStatement(const QString &revision, int limit) const;
    // Revision -> checksum of its latest successful upgrade or stamp.
    std::optional<QHash<QString, QString>> appliedChecksums(SqlError *error);

    // `searchPath`, when not null, is set for this write only (SET LOCAL, in the same round trip): after a
    // run, a script's session-wide search_path must not steer it.
    bool saveSnapshot(const QStringList &heads, const QString &fingerprint, const QString &text, SqlError *error,
                      const QString &searchPath = QString());
    std::optional<StoredSnapshot> loadSnapshot(SqlError *error); // nullopt with empty error: none stored

    // readHeads(), appliedChecksums() and loadSnapshot() together: one round trip when the version table
    // and the schema exist and no transaction is open, else one read after the other. Without
    // withSnapshot the snapshot (its text can be large) is left unread. extras go in the same round trip,
    // after the reads (so their failure spoils none of them); see BookkeepingOverview::extras.
    std::optional<BookkeepingOverview> readOverview(SqlError *error, bool withSnapshot = true,
                                                    const QList<PgPipeline::Statement> &extras = {});

    bool markInterrupted(const InterruptedRun &run, SqlError *error);
    bool clearInterrupted(const QString &revision, SqlError *error);
    // markInterrupted() and clearInterrupted() for a pipeline.
    PgPipeline::Statement interruptedUpsert(const InterruptedRun &run) const;
    PgPipeline::Statement interruptedDelete(const QString &revision) const;
    std::optional<QList<InterruptedRun>> interrupted(SqlError *error);

private:
    QString headsSql() const;
    static QString checksumsSql();
    static QHash<QString, QString> checksumsFrom(const QList<QStringList> &rows);
    static QString snapshotSql();
    static std::optional<StoredSnapshot> snapshotFrom(const QList<QStringList> &rows);

    PgConnection *m_connection;
    VersionTable m_versionTable; // as the user named it: the key of our own rows
    VersionTable m_target;       // what the SQL names
    bool m_versionTableSeen = false;
};

} // namespace MigrationDesk
