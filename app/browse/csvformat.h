#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace MigrationDesk {

// RFC 4180 text for the CSV export: one field, one line. Pure functions (fuzzed by tests/fuzz/fuzz_csv);
// any thread.
class CsvFormat
{
public:
    // One CSV field: quoted when it holds a comma, quote, CR or LF, or is empty (so that an empty
    // string differs from NULL, which is written as nothing, as PostgreSQL's COPY ... CSV does).
    static QString field(const QString &value);
    // One line with its CRLF: the first masked.size() values (missing ones are NULL), each masked value
    // that is not NULL written as mask.
    static QString row(const QStringList &values, const QList<bool> &masked, const QString &mask);
};

} // namespace MigrationDesk
