#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <atomic>
#include <functional>

namespace MigrationDesk {

class PgConnection;

// Streams rows to the server with COPY ... FROM STDIN in text format, in chunks the caller fills,
// and escapes values for that format. Runs on the thread that owns the connection.
class CopyStream
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::CopyStream)

public:
    // A good size for one fill() chunk: big enough for few round trips, small enough that a cancel
    // is seen quickly.
    static constexpr qsizetype kChunkBytes = 1 << 20;

    // Runs copySql (a COPY ... FROM STDIN in text format) and streams what fill() appends to its
    // buffer, one chunk per call, until fill() returns false. The cancel flag is checked between
    // chunks; a cancelled COPY is aborted and fails. Runs inside the caller's transaction, if any.
    static bool copyFromStdin(PgConnection &connection, const QByteArray &copySql,
                              const std::function<bool(QByteArray &buffer)> &fill, const std::atomic_bool *cancel,
                              QString *error);

    // One value escaped for COPY's text format (backslash, tab, newline and carriage return); a null
    // QString becomes \N.
    static QByteArray escapeText(const QString &value);
    // The same for UTF-8 bytes that are never null, appended to out.
    static void appendText(QByteArray &out, const char *utf8, qsizetype length);
};

} // namespace MigrationDesk
