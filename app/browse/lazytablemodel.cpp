#include "browse/lazytablemodel.h"

#include "browse/fetcherpool.h"

#include <utility>
#include <climits>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

LazyTableModel::LazyTableModel(FetcherPool &pool, QObject *parent)
    : QAbstractTableModel(parent)
    , m_fetchers(pool)
    , m_viewRows(this, [this] { pump(); })
    , m_reader(m_fetchers, [this] { return m_rowCount; })
    , m_count(m_fetchers, m_query, m_windows)
{
    connect(&m_reader, &WindowReader::fetchingChanged, this, &LazyTableModel::fetchingChanged);
    connect(&m_reader, &WindowReader::arrived, this, &LazyTableModel::onWindow);
    connect(&m_reader, &WindowReader::failed, this, [this](const WindowReader::Read &read, const QString &error) {
        m_stalledRow = read.targetRow;
        Q_EMIT errorOccurred(error);
    });
    connect(&m_count, &TableCount::estimated, this, &LazyTableModel::onEstimate);
    connect(&m_reader, &WindowReader::estimated, &m_count, &TableCount::acceptEstimate);
    connect(&m_count, &TableCount::counted, this, &LazyTableModel::onCount);
    connect(&m_count, &TableCount::failed, this, &LazyTableModel::errorOccurred);
    qRegisterMetaType<MigrationDesk::TableInfo>();
    qRegisterMetaType<MigrationDesk::KeysetQuery>();
    qRegisterMetaType<MigrationDesk::WindowRequest>();
    qRegisterMetaType<QList<QStringList>>();
}

LazyTableModel::~LazyTableModel()
{
    // No signal of the fetchers may reach this model any more; the pool keeps their sessions.
    m_count.detach();
    m_reader.detach();
    m_fetchers.release(this);
}

void LazyTableModel::acquireFetchers(const ConnectionSettings &settings)
{
    if (!m_fetchers.isEmpty() && settings == m_fetchers.settings())
        return;
    m_count.detach();
    m_reader.detach();
    m_fetchers.release(this);
    m_fetchers.acquire(settings);
    RowFetcher *fetcher = m_fetchers.windows();
    connect(fetcher, &RowFetcher::tableDescribed, this, &LazyTableModel::onTableDescribed);
    connect(fetcher, &RowFetcher::opened, this, [this](bool ok, const QString &error) {
        if (!ok)
            Q_EMIT errorOccurred(error);
    });
    m_reader.attach();
    m_count.attach();
}

QString LazyTableModel::placeholder()
{
    return u"\u2026"_s;
}

QString LazyTableModel::maskText()
{
    return u"\u2022\u2022\u2022\u2022"_s;
}

void LazyTableModel::openTable(const ConnectionSettings &settings, const QString &schema, const QString &table,
                               const QList<JoinSpec> &joins)
{
    acquireFetchers(settings);
    beginResetModel();
    m_reader.restart(FetcherPool::nextToken());
    m_table = {};
    m_query = {};
    m_windows.clear();
    m_rowCount = 0;
    m_count.open();
    m_stalledRow = -1;
    m_revealed.clear();
    endResetModel();

    m_fetchers.describe(m_reader.generation(), schema, table, joins);
}

void LazyTableModel::onTableDescribed(quint64 generation, const TableInfo &table, const QString &error)
{
    if (generation != m_reader.generation())
        return;
    if (!error.isEmpty()) {
        Q_EMIT errorOccurred(error);
        return;
    }
    beginResetModel();
    m_table = table;
    m_sortColumn.clear();
    m_ascending = true;
    m_filters.clear();
    endResetModel();
    // Restarted before the signal, so what its handlers do (a view's default sort and filters, and the
    // rows it asks for) is the last word, and only that is read.
    restart(false);
    Q_EMIT tableReady();
}

void LazyTableModel::restart(bool keepCount)
{
    // Before a table is open, filters and the deleted-rows choice are only remembered.
    if (m_fetchers.isEmpty() || !m_table.isValid())
        return;
    // A new sort keeps the count, unless none has arrived yet for these filters.
    if (keepCount && !m_count.haveEstimate())
        keepCount = false;
    beginResetModel();
    m_reader.restart(FetcherPool::nextToken());
    m_windows.clear();
    m_stalledRow = -1;
    m_jumpValue.clear();
    m_query = KeysetQuery(m_table, m_sortColumn, m_ascending, m_filters, m_includeDeleted, m_thenBy.value(m_sortColumn),
                          m_revealed.names(m_table));
    m_count.setKnownRows(0);
    if (!keepCount) {
        m_rowCount = 0;
        m_count.forget();
    }
    endResetModel();
    if (!m_query.isValid()) {
        Q_EMIT errorOccurred(m_query.error());
        return;
    }
    if (keepCount) {
        m_viewRows.scheduleRead();
        return;
    }
    Q_EMIT countChanged();
    m_count.restart();
    // The first window does not wait for the estimate.
    m_viewRows.scheduleRead();
}

void LazyTableModel::setThenBy(const QString &sortColumn, const QStringList &thenBy)
{
    m_thenBy.insert(sortColumn, thenBy);
}

void LazyTableModel::setFilters(const QList<ColumnFilter> &filters)
{
    // Refused before anything changes: the rows on screen stay those of the filters still in force.
    if (m_table.isValid()) {
        const KeysetQuery check(m_table, m_sortColumn, m_ascending, filters, m_includeDeleted,
                                m_thenBy.value(m_sortColumn), m_revealed.names(m_table));
        if (!check.isValid()) {
            Q_EMIT errorOccurred(check.error());
            return;
        }
    }
    m_filters = filters;
    restart(false);
}

void LazyTableModel::setIncludeDeleted(bool include)
{
    if (include == m_includeDeleted)
        return;
    m_includeDeleted = include;
    restart(false);
}

void LazyTableModel::sort(int column, Qt::SortOrder order)
{
    if (!m_table.isValid())
        return;
    const QString name = column >= 0 && column < m_table.columns.size() ? m_table.columns.at(column).name : QString();
    if (m_revealed.isMasked(m_table, column)) {
        Q_EMIT errorOccurred(KeysetQuery::maskedError(name));
        return;
    }
    m_sortColumn = name;
    m_ascending = order == Qt::AscendingOrder;
    restart(true);
}

bool LazyTableModel::isInstantSort(int column) const
{
    return column >= 0 && column < m_table.columns.size() && m_table.columns.at(column).leadsIndex;
}

void LazyTableModel::refresh(bool recount)
{
    if (m_table.isValid())
        restart(!recount);
}

void LazyTableModel::cancel()
{
    m_reader.cancel();
}

bool LazyTableModel::isColumnSensitive(int column) const
{
    return column >= 0 && column < m_table.columns.size() && m_table.columns.at(column).sensitive;
}

void LazyTableModel::setRevealed(int column, bool revealed)
{
    if (!m_revealed.set(column, revealed))
        return;
    if (!revealed && column >= 0 && column < m_table.columns.size()) {
        // Masked again: a sort or filter on it would go on telling its values, so both go.
        const QString name = m_table.columns.at(column).name;
        const bool filtered = RevealedColumns::dropFilters(name, m_filters);
        const bool sorted = m_sortColumn == name;
        if (sorted) {
            m_sortColumn.clear();
            m_ascending = true;
        }
        if (sorted || filtered) {
            restart(!filtered);
            return;
        }
    }
    if (m_rowCount > 0)
        Q_EMIT dataChanged(index(0, column), index(m_rowCount - 1, column));
}

QString LazyTableModel::countText() const
{
    return m_count.text(m_rowCount);
}

int LazyTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

int LazyTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_table.columns.size());
}

bool LazyTableModel::isRowLoaded(int row) const
{
    return m_windows.at(row) != nullptr;
}

QStringList LazyTableModel::rowValues(int row) const
{
    const WindowCache::Window *window = row >= 0 && row < m_rowCount ? m_windows.at(row) : nullptr;
    return window ? window->rows.at(row - window->start) : QStringList();
}

QString LazyTableModel::value(int row, const QString &column) const
{
    const int index = m_table.columnIndex(column);
    return index < 0 ? QString() : rowValues(row).value(index);
}

QVariant LazyTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WindowCache::Window *window = m_windows.at(index.row());
    if (!window) {
        if (role == Qt::DisplayRole) {
            m_viewRows.noteMissed(index.row());
            return placeholder();
        }
        if (role == LoadedRole)
            return false;
        return {};
    }
    const QString &value = window->rows.at(index.row() - window->start).at(index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (value.isNull())
            return {};
        if (m_revealed.isMasked(m_table, index.column()))
            return maskText();
        return value;
    case IsNullRole:
        return value.isNull();
    case LoadedRole:
        return true;
    default:
        return {};
    }
}

QVariant LazyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return section >= 0 && section < m_table.columns.size() ? QVariant(m_table.columns.at(section).name) : QVariant();
    return section + 1;
}

void LazyTableModel::requestRows(int first, int last)
{
    m_viewRows.request(first, last);
}
void LazyTableModel::pump()
{
    if (m_reader.isInFlight() || !m_query.isValid())
        return;
    // A jump's rows are placed at a fraction of the count; before any count the read brings its own
    // estimate in the same round trip, instead of waiting for the counter's.
    const bool haveCount = m_count.haveEstimate() || m_count.isExact();
    if (!m_jumpValue.isNull() && (!haveCount || m_rowCount > 0)) {
        const WindowCache::Plan plan = WindowReader::jumpPlan(haveCount ? m_rowCount : 0, m_windowSize);
        m_reader.send(plan, m_query, plan.start, std::exchange(m_jumpValue, QString()), haveCount);
        return;
    }
    if (m_rowCount <= 0) {
        // No count yet: the first window goes out at once, and its size tells the count if it is short.
        if (!m_count.haveEstimate() && !m_count.isExact() && !m_windows.startsAt(0) && m_stalledRow != 0)
            m_reader.send(WindowReader::startPlan(m_windowSize), m_query, 0);
        return;
    }
    const int row = m_windows.firstMissing(m_viewRows.first(), qMin(m_viewRows.last(), m_rowCount - 1));
    if (row < 0 || row == m_stalledRow)
        return;
    m_reader.send(m_windows.plan(row, m_rowCount, m_windowSize), m_query, row);
}

void LazyTableModel::jumpToValue(const QString &sortValue)
{
    if (!m_query.isValid() || m_query.sortColumn().isEmpty() || sortValue.isNull())
        return;
    m_jumpValue = sortValue;
    pump();
}

void LazyTableModel::onWindow(const WindowReader::Read &read, const QList<QStringList> &rows,
                              const QStringList &firstKey, const QStringList &lastKey)
{
    const int count = int(rows.size());
    const bool shortRead = count < read.limit;
    switch (read.kind) {
    case WindowRequest::Start:
    case WindowRequest::After:
        if (read.kind == WindowRequest::Start)
            m_count.setKnownRows(count);
        if (read.start + count > m_rowCount)
            setRowCountTo(read.start + count);
        place(read.start, rows, firstKey, lastKey, read.fromEnd);
        if (shortRead)
            setRowCountTo(read.start + count); // the data ends here
        if (shortRead && read.kind == WindowRequest::Start && !m_count.isExact()) {
            m_count.settleFromFirstWindow();
            Q_EMIT countChanged();
        }
        break;
    case WindowRequest::Before:
    case WindowRequest::End: {
        const int start = read.startOf(count, m_rowCount);
        place(start, rows, firstKey, lastKey, read.fromEnd);
        if (shortRead)
            removeLeadingRows(start); // the data begins here
        break;
    }
    case WindowRequest::Fraction: {
        const int start = place(read.startOf(count, m_rowCount), rows, firstKey, lastKey, shortRead);
        if (read.toValue && count > 0)
            Q_EMIT jumped(start);
        break;
    }
    }
    if (!isRowLoaded(read.targetRow))
        m_stalledRow = read.targetRow;
    m_count.windowArrived();
    pump();
}

int LazyTableModel::place(int start, const QList<QStringList> &rows, const QStringList &firstKey,
                          const QStringList &lastKey, bool fromEnd)
{
    if (rows.isEmpty())
        return start;
    start = m_windows.place(start, rows, firstKey, lastKey, fromEnd);
    const int last = qMin(start + int(rows.size()), m_rowCount) - 1;
    if (last >= start) {
        Q_EMIT dataChanged(index(start, 0), index(last, columnCount() - 1));
        Q_EMIT windowLoaded(start, last);
    }
    return start;
}

void LazyTableModel::setRowCountTo(qint64 rows)
{
    const int count = int(qBound(qint64(0), rows, qint64(INT_MAX)));
    if (count == m_rowCount)
        return;
    m_stalledRow = -1;
    if (count > m_rowCount) {
        beginInsertRows({}, m_rowCount, count - 1);
        m_rowCount = count;
        endInsertRows();
    } else {
        beginRemoveRows({}, count, m_rowCount - 1);
        m_rowCount = count;
        m_windows.truncate(count);
        endRemoveRows();
    }
    Q_EMIT countChanged();
}

void LazyTableModel::removeLeadingRows(int count)
{
    if (count <= 0)
        return;
    count = qMin(count, m_rowCount);
    beginRemoveRows({}, 0, count - 1);
    m_windows.removeLeading(count);
    m_rowCount -= count;
    m_stalledRow = -1;
    endRemoveRows();
    Q_EMIT countChanged();
}

void LazyTableModel::onEstimate(qint64 rows)
{
    if (rows != m_rowCount)
        dropWindowsFromEnd();
    setRowCountTo(rows);
    pump();
}

void LazyTableModel::dropWindowsFromEnd()
{
    for (const auto &[first, end] : m_windows.dropFromEnd()) {
        const int last = qMin(end, m_rowCount) - 1;
        if (last >= first)
            Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
    }
    m_stalledRow = -1;
}

void LazyTableModel::onCount(qint64 rows)
{
    if (rows != m_rowCount)
        dropWindowsFromEnd();
    setRowCountTo(rows);
    Q_EMIT countChanged();
    pump();
}

} // namespace MigrationDesk
