#pragma once

#include "migrations/bookkeeping.h"

#include <QDateTime>
#include <QMetaType>

#include <optional>

namespace MigrationDesk {

class PgConnection;
struct SqlError;

// Which recorded runs to read. Every field left empty matches everything.
struct HistoryFilter
{
    enum class Result { Any, Succeeded, Failed };
    QString revision;          // a prefix of the revision id (as Alembic accepts), or all of it with exactRevision
    bool exactRevision = false;
    QString user;              // part of the database or OS user, case-insensitive
    Result result = Result::Any;
    QDateTime from;            // started at or after (invalid: no lower bound)
    QDateTime until;           // started before (invalid: no upper bound)
    int limit = 1000;          // newest first; the filter row never loads a whole history at once

    bool isEmpty() const
    {
        return revision.isEmpty() && user.isEmpty() && result == Result::Any && !from.isValid() && !until.isValid();
    }
};

// Reads migrationdesk.history for one version table: the runs a filter matches (newest first, every value
// bound) and one run's statement log. On the thread of the connection it is given.
class HistoryQuery
{
public:
    HistoryQuery(PgConnection *connection, const QString &versionTable);

    // Empty when nothing was ever recorded (no migrationdesk schema yet).
    std::optional<QList<HistoryEntry>> find(const HistoryFilter &filter, SqlError *error);
    // find()'s read as a statement, for a pipeline; newColumns: backup_path exists (a history that a
    // run of this version wrote), else the read fails on it. Its rows become entries with entriesFrom().
    static PgPipeline::Statement statement(const QString &versionTable, const HistoryFilter &filter, bool newColumns);
    static QList<HistoryEntry> entriesFrom(const QList<QStringList> &rows);
    // The statements the run with this history id ran, in order; empty for a stamp or an older row.
    std::optional<QList<LoggedStatement>> statementLog(qint64 historyId, SqlError *error);

private:
    bool tableExists(SqlError *error);

    PgConnection *m_connection;
    QString m_versionTable; // as the user named it: the key of our rows
    bool m_newColumns = false; // backup_path and statement_log exist (tableExists() found out)
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::HistoryFilter)
