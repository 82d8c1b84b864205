#include "scheduling/schedulegridlayout.h"

#include "data/datagrid.h"
#include "scheduling/scheduledelegate.h"

#include <QHeaderView>
#include <QStyle>
#include <QStyleOptionHeader>

#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// What the header's style needs for the column's title: its bold form (a selected column's title turns
// bold) and the sort indicator.
int titleWidth(const QHeaderView *header, int logical)
{
    QStyleOptionHeader opt;
    opt.initFrom(header);
    QFont font = header->font();
    font.setBold(true);
    opt.fontMetrics = QFontMetrics(font);
    opt.section = logical;
    opt.text = header->model()->headerData(logical, header->orientation()).toString();
    opt.orientation = header->orientation();
    opt.sortIndicator = QStyleOptionHeader::SortDown;
    return header->style()->sizeFromContents(QStyle::CT_HeaderSection, &opt, QSize(), header).width();
}

} // namespace


const QStringList &ScheduleGridLayout::visibleColumns()
{
    static const QStringList columns = {u"schedule_date"_s, u"start_time"_s, u"end_time"_s, u"employee_name"_s,
                                        u"department"_s, u"schedule_type"_s, u"title"_s, u"status"_s,
                                        u"priority"_s, u"client_name"_s, u"location"_s};
    return columns;
}

bool ScheduleGridLayout::canEdit(const TableInfo &info)
{
    for (const QString &name : {u"status"_s, u"result"_s, u"follow_up"_s}) {
        const int column = info.columnIndex(name);
        if (column < 0 || !info.columns.at(column).canUpdate)
            return false;
    }
    return true;
}

void ScheduleGridLayout::arrange(DataGrid *grid, ScheduleDelegate *delegate, const TableInfo &info)
{
    QHeaderView *header = grid->horizontalHeader();
    delegate->clearColumns();
    for (int column = 0; column < info.columns.size(); ++column)
        grid->setColumnHidden(column, !visibleColumns().contains(info.columns.at(column).name));
    for (int i = 0; i < visibleColumns().size(); ++i) {
        const int logical = info.columnIndex(visibleColumns().at(i));
        if (logical >= 0)
            header->moveSection(header->visualIndex(logical), i);
    }
    using Kind = ScheduleDelegate::Kind;
    const QList<std::pair<QString, Kind>> kinds = {
        {u"schedule_date"_s, Kind::Date}, {u"start_time"_s, Kind::Time}, {u"end_time"_s, Kind::Time},
        {u"schedule_type"_s, Kind::ScheduleType}, {u"status"_s, Kind::Status}, {u"priority"_s, Kind::Priority}};
    for (const auto &[name, kind] : kinds) {
        const int column = info.columnIndex(name);
        if (column >= 0)
            delegate->setColumnKind(column, kind);
    }
    delegate->setStatusColumn(info.columnIndex(u"status"_s));
    // Date, start and end are sized from their formatted content by the grid (DateTimeColumns).
    const QList<std::pair<QString, int>> widths = {
        {u"employee_name"_s, 120},
        {u"department"_s, 100}, {u"schedule_type"_s, 80}, {u"title"_s, 200}, {u"client_name"_s, 130},
        {u"location"_s, 130}, {u"status"_s, 95}, {u"priority"_s, 85}};
    for (const auto &[name, width] : widths) {
        const int column = info.columnIndex(name);
        if (column >= 0) // never narrower than its title in the current language
            header->resizeSection(column, qMax(width, titleWidth(header, column)));
    }
}

} // namespace MigrationDesk
