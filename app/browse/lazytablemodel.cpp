#include "browse/lazytablemodel.h"

#include "browse/fetcherpool.h"

#include <algorithm>
#include <utility>
#include <climits>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

LazyTableModel::LazyTableModel(FetcherPool &pool, QObject *parent)
    : QAbstractTableModel(parent)
    , m_fetchers(pool)
    , m_viewRows(this, [this] { pump(); })
    , m_count(m_fetchers, m_query, m_windows)
{
    connect(&m_count, &TableCount::estimated, this, &LazyTableModel::onEstimate);
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
    m_fetchers.release(this);
}

void LazyTableModel::acquireFetchers(const ConnectionSettings &settings)
{
    if (!m_fetchers.isEmpty() && settings == m_fetchers.settings())
        return;
    m_count.detach();
    m_fetchers.release(this);
    m_fetchers.acquire(settings);
    RowFetcher *fetcher = m_fetchers.windows();
    connect(fetcher, &RowFetcher::tableDescribed, this, &LazyTableModel::onTableDescribed);
    connect(fetcher, &RowFetcher::windowReady, this, &LazyTableModel::onWindow);
    connect(fetcher, &RowFetcher::windowFailed, this, &LazyTableModel::onWindowFailed);
    connect(fetcher, &RowFetcher::seekPositioned, this, &LazyTableModel::onSeekPositioned);
    connect(fetcher, &RowFetcher::opened, this, [this](bool ok, const QString &error) {
        if (!ok)
            Q_EMIT errorOccurred(error);
    });
    m_count.attach();
}

void LazyTableModel::setInFlight(bool inFlight)
{
    if (inFlight == m_inFlight)
        return;
    m_inFlight = inFlight;
    Q_EMIT fetchingChanged(inFlight);
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
    m_generation = FetcherPool::nextToken();
    m_fetchers.windows()->skipBefore(m_generation);
    m_table = {};
    m_query = {};
    m_windows.clear();
    m_rowCount = 0;
    m_count.open();
    setInFlight(false);
    m_stalledRow = -1;
    m_revealed.clear();
    endResetModel();

    m_fetchers.describe(m_generation, schema, table, joins);
}

void LazyTableModel::onTableDescribed(quint64 generation, const TableInfo &table, const QString &error)
{
    if (generation != m_generation)
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
    m_generation = FetcherPool::nextToken();
    m_fetchers.windows()->skipBefore(m_generation);
    m_windows.clear();
    setInFlight(false);
    m_stalledRow = -1;
    m_jumpValue.clear();
    m_query = KeysetQuery(m_table, m_sortColumn, m_ascending, m_filters, m_includeDeleted, m_thenBy.value(m_sortColumn),
                          revealedNames());
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
                                m_thenBy.value(m_sortColumn), revealedNames());
        if (!check.isValid()) {
            Q_EMIT errorOccurred(check.error());
            return;
        }
    }
    m_filters = filters;
    restart(false);
}

QSet<QString> LazyTableModel::revealedNames() const
{
    QSet<QString> names;
    for (int column : m_revealed) {
        if (column >= 0 && column < m_table.columns.size())
            names.insert(m_table.columns.at(column).name);
    }
    return names;
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
    if (isColumnSensitive(column) && !m_revealed.contains(column)) {
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
    if (m_inFlight && !m_fetchers.isEmpty())
        m_fetchers.windows()->cancelWindow(m_pending.requestId);
}

bool LazyTableModel::isColumnSensitive(int column) const
{
    return column >= 0 && column < m_table.columns.size() && m_table.columns.at(column).sensitive;
}

void LazyTableModel::setRevealed(int column, bool revealed)
{
    if (revealed == m_revealed.contains(column))
        return;
    if (revealed)
        m_revealed.insert(column);
    else
        m_revealed.remove(column);
    if (!revealed && column >= 0 && column < m_table.columns.size()) {
        // Masked again: a sort or filter on it would go on telling its values, so both go.
        const QString name = m_table.columns.at(column).name;
        const auto before = m_filters.size();
        m_filters.erase(std::remove_if(m_filters.begin(), m_filters.end(), [&](const ColumnFilter &f) {
                            return f.column == name || f.otherColumns.contains(name);
                        }),
                        m_filters.end());
        const bool sorted = m_sortColumn == name;
        if (sorted) {
            m_sortColumn.clear();
            m_ascending = true;
        }
        if (sorted || before != m_filters.size()) {
            restart(before == m_filters.size());
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
        if (isColumnSensitive(index.column()) && !m_revealed.contains(index.column()))
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
    if (m_inFlight || !m_query.isValid())
        return;
    // The jump waits for a count: its rows are placed at a fraction of it.
    if (!m_jumpValue.isNull() && m_rowCount > 0 && (m_count.haveEstimate() || m_count.isExact())) {
        sendJump();
        return;
    }
    if (m_rowCount <= 0) {
        // No count yet: the first window goes out at once, and its size tells the count if it is short.
        if (!m_count.haveEstimate() && !m_count.isExact() && !m_windows.startsAt(0) && m_stalledRow != 0)
            sendStart();
        return;
    }
    const int row = m_windows.firstMissing(m_viewRows.first(), qMin(m_viewRows.last(), m_rowCount - 1));
    if (row < 0 || row == m_stalledRow)
        return;
    send(m_windows.plan(row, m_rowCount, m_windowSize), row);
}

void LazyTableModel::sendStart()
{
    WindowCache::Plan plan;
    plan.kind = WindowRequest::Start;
    plan.limit = m_windowSize;
    send(plan, 0);
}

void LazyTableModel::jumpToValue(const QString &sortValue)
{
    if (!m_query.isValid() || m_query.sortColumn().isEmpty() || sortValue.isNull())
        return;
    m_jumpValue = sortValue;
    pump();
}

void LazyTableModel::sendJump()
{
    WindowCache::Plan plan;
    plan.kind = WindowRequest::Fraction;
    plan.limit = m_windowSize;
    plan.start = qMax(0, m_rowCount - m_windowSize) / 2; // until seekPositioned says where
    const QString value = std::exchange(m_jumpValue, QString());
    send(plan, plan.start, value);
}

void LazyTableModel::onSeekPositioned(quint64 generation, quint64 requestId, double fraction)
{
    if (generation != m_generation || requestId != m_pending.requestId || !m_pending.toValue)
        return;
    const int last = qMax(0, m_rowCount - m_pending.limit);
    m_pending.start = qBound(0, int(fraction * double(m_rowCount)), last);
    m_pending.targetRow = m_pending.start;
}

void LazyTableModel::send(const WindowCache::Plan &plan, int targetRow, const QString &seekValue)
{
    WindowRequest request;
    request.generation = m_generation;
    request.requestId = FetcherPool::nextToken();
    request.query = m_query;
    request.kind = plan.kind;
    request.key = plan.key;
    request.limit = plan.limit;
    if (plan.kind == WindowRequest::Fraction) {
        request.fraction = plan.fraction;
        request.estimatedRows = m_rowCount;
        request.seekValue = seekValue;
    }
    m_pending = Pending();
    m_pending.requestId = request.requestId;
    m_pending.kind = plan.kind;
    m_pending.start = plan.start;
    m_pending.limit = plan.limit;
    m_pending.targetRow = targetRow;
    m_pending.fromEnd = plan.fromEnd;
    m_pending.rowCountAtRequest = m_rowCount;
    m_pending.toValue = !seekValue.isNull();
    setInFlight(true);
    m_fetchers.fetchWindow(request);
}

void LazyTableModel::onWindow(quint64 generation, quint64 requestId, const QList<QStringList> &rows,
                              const QStringList &firstKey, const QStringList &lastKey)
{
    if (generation != m_generation || requestId != m_pending.requestId) {
        ++m_staleDropped;
        return;
    }
    setInFlight(false);
    const Pending pending = m_pending;
    const int count = int(rows.size());
    const bool shortRead = count < pending.limit;

    switch (pending.kind) {
    case WindowRequest::Start:
    case WindowRequest::After:
        if (pending.kind == WindowRequest::Start)
            m_count.setKnownRows(count);
        if (pending.start + count > m_rowCount)
            setRowCountTo(pending.start + count);
        place(pending.start, rows, firstKey, lastKey, pending.fromEnd);
        if (shortRead)
            setRowCountTo(pending.start + count); // the data ends here
        if (shortRead && pending.kind == WindowRequest::Start && !m_count.isExact()) {
            m_count.settleFromFirstWindow();
            Q_EMIT countChanged();
        }
        break;
    case WindowRequest::Before:
    case WindowRequest::End: {
        // Counted back from the end: if a new count moved the end while this was read, so do its rows.
        const int moved = pending.fromEnd ? m_rowCount - pending.rowCountAtRequest : 0;
        const int start = pending.start + pending.limit - count + moved;
        place(start, rows, firstKey, lastKey, pending.fromEnd);
        if (shortRead)
            removeLeadingRows(start); // the data begins here
        break;
    }
    case WindowRequest::Fraction: {
        // A seek that runs out of rows has reached the end: those rows are the last ones.
        const int start = place(shortRead ? m_rowCount - count : pending.start, rows, firstKey, lastKey, shortRead);
        if (pending.toValue && count > 0)
            Q_EMIT jumped(start);
        break;
    }
    }
    if (!isRowLoaded(pending.targetRow))
        m_stalledRow = pending.targetRow;
    m_count.windowArrived();
    pump();
}

void LazyTableModel::onWindowFailed(quint64 generation, quint64 requestId, const QString &error)
{
    if (generation != m_generation || requestId != m_pending.requestId) {
        ++m_staleDropped;
        return;
    }
    setInFlight(false);
    m_stalledRow = m_pending.targetRow;
    Q_EMIT errorOccurred(error);
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
