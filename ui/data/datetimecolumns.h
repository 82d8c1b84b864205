#pragma once

#include "browse/catalog.h"

#include <QString>

class QFontMetrics;
class QTableView;

namespace MigrationDesk {

// Sizes a grid's date, time and timestamp columns from the widest text DateTimeFormat writes in the
// current locale and the grid's font (every hour: "11:58 PM", "오후 12:58"), so that no value is cut
// off, whatever the language. GUI thread.
class DateTimeColumns
{
public:
    enum class Kind { None, Date, Time, Timestamp };
    // By the column's SQL type (format_type()).
    static Kind kindOf(const QString &sqlType);
    static Kind kindOf(const ColumnInfo &column);
    // Cell padding around the text (the style's margins and focus frame, with room to spare).
    static constexpr int padding = 20;
    // The widest formatted value of the kind, in the current locale.
    static QString widestText(Kind kind, const QFontMetrics &metrics);
    // The width that shows every formatted value of the kind and the header text in full.
    static int width(const QTableView *grid, Kind kind, const QString &headerText);
    // Resizes every date, time and timestamp column of the grid's model to width(); with
    // onlyWiden, columns already wide enough stay as they are.
    static void fit(QTableView *grid, const TableInfo &info, bool onlyWiden = false);
};

} // namespace MigrationDesk
