#include "browse/csvformat.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString CsvFormat::field(const QString &value)
{
    if (value.isNull())
        return {};
    // Values are written exactly as stored. Cells starting with = + - @ are NOT prefixed with ':
    // that guard against spreadsheet formulas would change the data itself (-5, +82 10 ..., dates
    // and every re-import through COPY), and this export is a faithful copy of what the grid shows
    // for a DBA, not a report for a spreadsheet. Quoting alone keeps the file's structure intact.
    static const QString special = u",\"\r\n"_s;
    bool quote = value.isEmpty();
    for (const QChar c : value) {
        if (special.contains(c)) {
            quote = true;
            break;
        }
    }
    if (!quote)
        return value;
    QString out = value;
    out.replace(u"\""_s, u"\"\""_s);
    return u"\""_s + out + u"\""_s;
}

QString CsvFormat::row(const QStringList &values, const QList<bool> &masked, const QString &mask)
{
    QString line;
    // Each row also carries the keyset's key values after the table's columns: not exported.
    for (int c = 0; c < masked.size(); ++c) {
        if (c > 0)
            line += u',';
        const QString value = c < values.size() ? values.at(c) : QString();
        line += masked.at(c) && !value.isNull() ? mask : field(value);
    }
    return line + u"\r\n"_s;
}

} // namespace MigrationDesk
