#include "data/datetimecolumns.h"

#include "i18n/datetimeformat.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

DateTimeColumns::Kind DateTimeColumns::kindOf(const QString &sqlType)
{
    if (sqlType == u"date"_s)
        return Kind::Date;
    if (sqlType.startsWith(u"time without time zone"_s) || sqlType == u"time"_s)
        return Kind::Time;
    if (sqlType.startsWith(u"timestamp"_s))
        return Kind::Timestamp;
    return Kind::None;
}

DateTimeColumns::Kind DateTimeColumns::kindOf(const ColumnInfo &column)
{
    return kindOf(column.type);
}

QString DateTimeColumns::widestText(Kind kind, const QFontMetrics &metrics)
{
    QStringList samples;
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Date:
        samples = DateTimeFormat::dateSamples();
        break;
    case Kind::Time:
        samples = DateTimeFormat::timeSamples();
        break;
    case Kind::Timestamp:
        samples = DateTimeFormat::timestampSamples();
        break;
    }
    QString widest;
    int widestWidth = -1;
    for (const QString &sample : std::as_const(samples)) {
        const int w = metrics.horizontalAdvance(sample);
        if (w > widestWidth) {
            widest = sample;
            widestWidth = w;
        }
    }
    return widest;
}

int DateTimeColumns::width(const QTableView *grid, Kind kind, const QString &headerText)
{
    const QFontMetrics cell = grid->fontMetrics();
    const int content = cell.horizontalAdvance(widestText(kind, cell)) + padding;
    // The header also shows its sort indicator.
    const QFontMetrics header = grid->horizontalHeader()->fontMetrics();
    const int title = header.horizontalAdvance(headerText) + padding + header.height();
    return qMax(content, title);
}

void DateTimeColumns::fit(QTableView *grid, const TableInfo &info, bool onlyWiden)
{
    if (!grid->model())
        return;
    QHeaderView *header = grid->horizontalHeader();
    for (int column = 0; column < info.columns.size() && column < grid->model()->columnCount(); ++column) {
        const Kind kind = kindOf(info.columns.at(column));
        if (kind == Kind::None)
            continue;
        const int wanted = width(grid, kind, grid->model()->headerData(column, Qt::Horizontal).toString());
        if (!onlyWiden || header->sectionSize(column) < wanted)
            header->resizeSection(column, wanted);
    }
}

} // namespace MigrationDesk
