#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace MigrationDesk {

class PgConnection;

// What the review knows about one table before the plan runs.
struct TableSize
{
    bool exists = false;      // offline: assumed true, sizes unknown
    qint64 rows = -1;         // -1: unknown
    bool rowsAtLeast = false; // rows is a lower bound (a bounded count found more)
    qint64 bytes = -1;        // pg_total_relation_size; -1: unknown
};

// The pre-flight review's catalog lookups, on the caller's connection with every name bound (never
// pasted), each answer cached for one review. Without a connection (offline) every answer is "unknown".
// A review asks one question at a time; to spend one round trip on all of them instead of one each, it
// first walks the plan while this records the questions (answering "unknown"), then prefetch() sends them
// in one pipeline (and the row counts of never-analyzed tables in a second). A question the recording did
// not foresee is still asked on its own. Lives on the connection's thread.
class TableFacts
{
public:
    // `countLimit`: a table without statistics is counted, but never past this many rows.
    TableFacts(PgConnection *connection, qint64 countLimit);

    bool online() const { return m_connection != nullptr; }
    TableSize table(const QString &name);
    // The table an index belongs to (qualified and quoted by the server), empty when unknown.
    QString indexTable(const QString &index);
    // format_type() of the column, empty when the table or column does not exist (or offline).
    QString columnType(const QString &table, const QString &column);
    // Whether any function of these names is volatile (provolatile = 'v'); nullopt offline.
    // Names the server does not know are not counted.
    std::optional<bool> anyVolatile(const QStringList &functions);
    // Whether the table has a validated CHECK (column IS NOT NULL), which lets SET NOT NULL skip its scan.
    bool hasNotNullCheck(const QString &table, const QString &column);

    // From here until prefetch(), questions are recorded and answered as unknown (online).
    void startRecording();
    // Asks every recorded question not answered yet, in one round trip (two when a table needs counting).
    // A question whose statement failed stays unanswered and is asked again on its own.
    void prefetch();

private:
    enum class Ask { Table, IndexTable, ColumnType, AnyVolatile, NotNullCheck };
    struct Question
    {
        Ask ask;
        QStringList args;
    };
    // The statement that answers q; its answer is the first cell of the first row.
    static std::pair<QString, QStringList> statementFor(const Question &q);
    static QString key(const Question &q);
    // The first cell of q's answer (null when no row); nullopt when it could not be read.
    std::optional<QString> answer(const Question &q);
    std::optional<QList<QStringList>> rowsFor(const Question &q);
    // The size row of a table; *countSql gets the bounded count to run when it was never analyzed.
    TableSize sizeFrom(const QList<QStringList> &rows, QString *countSql);
    void applyCount(TableSize *size, QString count) const;

    PgConnection *m_connection;
    qint64 m_countLimit;
    bool m_recording = false;
    QList<Question> m_recorded;
    QHash<QString, TableSize> m_tables;
    QHash<QString, QString> m_answers; // key(question) -> first cell, null for no row
};

} // namespace MigrationDesk
