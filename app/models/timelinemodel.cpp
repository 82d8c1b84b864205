#include "models/timelinemodel.h"

#include "i18n/datetimeformat.h"
#include "migrations/migrationop.h"
#include "models/historymodel.h"

#include <QLocale>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

QVariantList toVariantList(const QList<int> &lanes)
{
    QVariantList out;
    out.reserve(lanes.size());
    for (int lane : lanes)
        out << lane;
    return out;
}

QString runBy(const HistoryEntry &e)
{
    QString os = e.osUser;
    if (!e.clientHost.isEmpty())
        os = os.isEmpty() ? e.clientHost : os + QLatin1Char('@') + e.clientHost;
    if (os.isEmpty())
        return e.dbUser;
    if (e.dbUser.isEmpty())
        return os;
    return u"%1 (%2)"_s.arg(e.dbUser, os);
}

} // namespace

TimelineModel::TimelineModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void TimelineModel::setScripts(const ScriptSet &scripts)
{
    beginResetModel();
    m_scripts = scripts;
    rebuild();
    applyStatus();
    endResetModel();
}

void TimelineModel::setStatus(const DatabaseStatus &status)
{
    const QStringList missingBefore = missingHeads();
    m_status = status;
    m_hasStatus = true;
    if (missingHeads() != missingBefore) {
        beginResetModel();
        rebuild();
        applyStatus();
        endResetModel();
        return;
    }
    applyStatus();
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
}

void TimelineModel::clearStatus()
{
    const bool hadMissing = !missingHeads().isEmpty();
    m_status = DatabaseStatus();
    m_hasStatus = false;
    if (hadMissing) {
        beginResetModel();
        rebuild();
        applyStatus();
        endResetModel();
        return;
    }
    applyStatus();
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
}

QStringList TimelineModel::missingHeads() const
{
    QStringList out;
    if (!m_hasStatus)
        return out;
    for (const QString &head : m_status.heads)
        if (!m_scripts.script(head) && !out.contains(head))
            out << head;
    return out;
}

// Lays the rows out the way `git log --graph` does: walking down the rows, each lane holds the
// revision its edge is heading for. An edge stays in its lane from the row it leaves to the row it
// reaches, so the delegate only ever draws straight lines and the diagonals at the dot.
void TimelineModel::rebuild()
{
    m_rows.clear();
    m_rowOf.clear();
    m_maxLaneCount = 1;

    // The database's own heads without a script: nothing is known about their parents, so they sit
    // on top, unconnected.
    for (const QString &head : missingHeads()) {
        Row row;
        row.revision = head;
        row.state = State::MissingScript;
        m_rowOf.insert(head, int(m_rows.size()));
        m_rows << row;
    }

    QHash<QString, int> scriptIndex;
    const QList<MigrationScript> &scripts = m_scripts.scripts();
    for (int i = 0; i < scripts.size(); ++i)
        scriptIndex.insert(scripts.at(i).revision, i);

    // revisions() is topological with bases first; reversed, every child sits above its parents.
    // On an invalid graph it is the load order, so parents are only followed downwards below.
    QStringList order = m_scripts.graph().revisions();
    std::reverse(order.begin(), order.end());
    const int firstGraphRow = int(m_rows.size());
    for (int i = 0; i < order.size(); ++i)
        m_rowOf.insert(order.at(i), firstGraphRow + i);

    const RevisionGraph &graph = m_scripts.graph();
    QStringList lanes; // the revision each lane's edge is heading for; empty = free
    const auto firstFree = [&lanes]() {
        const int free = int(lanes.indexOf(QString()));
        return free < 0 ? int(lanes.size()) : free;
    };
    const auto claim = [&lanes](int lane, const QString &target) {
        while (lanes.size() <= lane)
            lanes << QString();
        lanes[lane] = target;
    };

    for (int i = 0; i < order.size(); ++i) {
        const int rowIndex = firstGraphRow + i;
        Row row;
        row.revision = order.at(i);
        row.scriptIndex = scriptIndex.value(row.revision, -1);

        for (int l = 0; l < lanes.size(); ++l)
            if (lanes.at(l) == row.revision)
                row.childLanes << l;
        row.lane = row.childLanes.isEmpty() ? firstFree() : row.childLanes.first();
        for (int l : std::as_const(row.childLanes))
            lanes[l].clear();
        for (int l = 0; l < lanes.size(); ++l)
            if (!lanes.at(l).isEmpty())
                row.passThroughLanes << l;

        for (const QString &parent : graph.parents(row.revision)) {
            if (m_rowOf.value(parent, -1) <= rowIndex)
                continue; // missing or (in a cycle) above: no edge to draw
            int lane = int(lanes.indexOf(parent));
            if (lane < 0) {
                // The first parent continues straight down; the others open the leftmost free lane.
                lane = (row.lane >= lanes.size() || lanes.at(row.lane).isEmpty()) ? row.lane : firstFree();
                claim(lane, parent);
            }
            row.parentLanes << lane;
        }

        int widest = row.lane;
        for (const QList<int> *list : {&row.childLanes, &row.parentLanes, &row.passThroughLanes})
            for (int l : *list)
                widest = std::max(widest, l);
        row.laneCount = widest + 1;
        m_maxLaneCount = std::max(m_maxLaneCount, row.laneCount);

        while (!lanes.isEmpty() && lanes.constLast().isEmpty())
            lanes.removeLast();
        m_rows << row;
    }

    QStringList rowRevisions;
    QHash<QString, QStringList> dependencies;
    for (const Row &row : std::as_const(m_rows)) {
        rowRevisions << row.revision;
        dependencies.insert(row.revision, graph.resolvedDependencies(row.revision));
    }
    m_dependencyLanes.layout(rowRevisions, dependencies);
}

void TimelineModel::applyStatus()
{
    const RevisionGraph &graph = m_scripts.graph();
    QSet<QString> heads;
    QSet<QString> applied;
    if (m_hasStatus) {
        heads = QSet<QString>(m_status.heads.cbegin(), m_status.heads.cend());
        // Own walk with a visited set: the graph may be invalid (a cycle) while the user fixes a script.
        QStringList todo;
        for (const QString &head : std::as_const(heads))
            todo << graph.parents(head);
        while (!todo.isEmpty()) {
            const QString rev = todo.takeLast();
            if (applied.contains(rev) || !graph.contains(rev))
                continue;
            applied.insert(rev);
            todo << graph.parents(rev);
        }
    }

    // history is newest first, so the first successful upgrade or stamp met is the latest.
    QHash<QString, const HistoryEntry *> lastRun;
    QHash<QString, int> failures;
    for (const HistoryEntry &e : std::as_const(m_status.history)) {
        if (!e.success) {
            ++failures[e.revision];
            continue;
        }
        const auto op = migrationOpFromName(e.direction);
        if ((op == MigrationOp::Upgrade || op == MigrationOp::Stamp) && !lastRun.contains(e.revision))
            lastRun.insert(e.revision, &e);
    }

    for (Row &row : m_rows) {
        if (row.scriptIndex < 0 && m_hasStatus && heads.contains(row.revision))
            row.state = State::MissingScript;
        else if (heads.contains(row.revision))
            row.state = State::Current;
        else if (applied.contains(row.revision))
            row.state = State::Applied;
        else
            row.state = State::Pending;

        const bool inDatabase = row.state != State::Pending;
        const HistoryEntry *run = inDatabase ? lastRun.value(row.revision) : nullptr;
        row.hasLastRun = run != nullptr;
        row.lastRunAt = run ? run->startedAt : QDateTime();
        row.lastRunBy = run ? runBy(*run) : QString();
        row.lastRunMs = run ? run->durationMs : 0;
        row.failedRuns = failures.value(row.revision);

        const MigrationScript *script = scriptOf(row);
        const QString recorded = m_status.appliedChecksums.value(row.revision);
        row.checksumChanged = inDatabase && script && !recorded.isEmpty()
                              && recorded.compare(script->sha256, Qt::CaseInsensitive) != 0;
    }
}

const MigrationScript *TimelineModel::scriptOf(const Row &row) const
{
    return row.scriptIndex < 0 ? nullptr : &m_scripts.scripts().at(row.scriptIndex);
}

QModelIndex TimelineModel::indexOf(const QString &revision) const
{
    const int row = m_rowOf.value(revision, -1);
    return row < 0 ? QModelIndex() : index(row);
}

QString TimelineModel::revisionAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).revision : QString();
}

TimelineModel::State TimelineModel::stateOf(const QString &revision) const
{
    const int row = m_rowOf.value(revision, -1);
    return row < 0 ? State::Pending : m_rows.at(row).state;
}

QString TimelineModel::stateText(State state)
{
    switch (state) {
    case State::Pending: return tr("Pending");
    case State::Applied: return tr("Applied");
    case State::Current: return tr("Current");
    case State::MissingScript: return tr("Missing script");
    }
    return QString();
}

bool TimelineModel::canUpgradeTo(const QString &revision) const
{
    if (!m_hasStatus || !m_scripts.isValid() || !m_scripts.script(revision) || stateOf(revision) != State::Pending)
        return false;
    QString error;
    const auto plan = m_scripts.graph().upgradePlan(m_status.heads, revision, &error);
    return plan && !plan->isEmpty();
}

bool TimelineModel::canDowngradeTo(const QString &revision) const
{
    if (!m_hasStatus || !m_scripts.isValid() || !m_scripts.script(revision) || stateOf(revision) != State::Applied)
        return false;
    QString error;
    const auto plan = m_scripts.graph().downgradePlan(m_status.heads, revision, &error);
    return plan && !plan->isEmpty();
}

QString TimelineModel::reviewBlocker(MigrationOp op, const QString &target) const
{
    const auto blocker = [](const MigrationScript *script) {
        return script && !script->needsReview.isEmpty()
                   ? tr("Revision %1 needs review: %2").arg(script->revision, script->needsReview)
                   : QString();
    };
    if (const QString own = blocker(m_scripts.script(target)); !own.isEmpty())
        return own;
    if (op == MigrationOp::Stamp || !m_scripts.isValid())
        return {};
    // The engine refuses to run any step of a plan through such a revision: the revisions it would run.
    QString error;
    const auto plan = op == MigrationOp::Upgrade ? m_scripts.graph().upgradePlan(m_status.heads, target, &error)
                                                 : m_scripts.graph().downgradePlan(m_status.heads, target, &error);
    for (const MigrationStep &step : plan.value_or(QList<MigrationStep>()))
        if (const QString reason = blocker(m_scripts.script(step.revision)); !reason.isEmpty())
            return reason;
    return {};
}

bool TimelineModel::canDowngradeToBase() const
{
    if (!m_hasStatus || !m_scripts.isValid() || m_status.heads.isEmpty())
        return false;
    QString error;
    const auto plan = m_scripts.graph().downgradePlan(m_status.heads, u"base"_s, &error);
    return plan && !plan->isEmpty();
}

// One row per revision; a list has no children.
int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const MigrationScript *script = scriptOf(row);
    const RevisionGraph &graph = m_scripts.graph();
    const bool inGraph = script != nullptr;

    switch (role) {
    case Qt::DisplayRole:
        return script ? u"%1  %2"_s.arg(row.revision, script->message) : row.revision;
    case Qt::ToolTipRole: return toolTip(row);
    case RevisionRole: return row.revision;
    case MessageRole: return script ? script->message : QString();
    case CreatedRole: return script ? script->created : QString();
    case StateRole: return int(row.state);
    case StateTextRole: return stateText(row.state);
    case LaneRole: return row.lane;
    case LaneCountRole: return row.laneCount;
    case ChildLanesRole: return toVariantList(row.childLanes);
    case ParentLanesRole: return toVariantList(row.parentLanes);
    case PassThroughLanesRole: return toVariantList(row.passThroughLanes);
    case ParentsRole: return script ? script->downRevisions : QStringList();
    case FileNameRole: return script ? script->fileName : QString();
    case IsHeadRole: return inGraph && graph.isHead(row.revision);
    case IsBranchPointRole: return inGraph && graph.isBranchPoint(row.revision);
    case IsMergePointRole: return inGraph && graph.isMergePoint(row.revision);
    case TransactionalRole: return script ? script->transactional : true;
    case HasLastRunRole: return row.hasLastRun;
    case LastRunAtRole: return row.lastRunAt;
    case LastRunByRole: return row.lastRunBy;
    case LastRunDurationRole: return row.lastRunMs;
    case ChecksumChangedRole: return row.checksumChanged;
    case FailedRunsRole: return row.failedRuns;
    case BranchLabelsRole: return script ? script->branchLabels : QStringList();
    case DependsOnRole: return script ? script->dependsOn : QStringList();
    case NeedsReviewRole: return script ? script->needsReview : QString();
    case DependencyPiecesRole: return toVariantList(m_dependencyLanes.pieces(index.row()));
    default: return {};
    }
}

QString TimelineModel::toolTip(const Row &row) const
{
    const MigrationScript *script = scriptOf(row);
    QStringList lines;
    if (!script) {
        lines << row.revision;
        lines << tr("In the database but missing from the scripts: no script file defines this revision.");
    } else {
        lines << u"%1 \u2014 %2"_s.arg(row.revision, script->message);
        if (!script->created.isEmpty())
            lines << tr("Created: %1").arg(script->created);
        lines << tr("State: %1").arg(stateText(row.state));
        lines << (script->downRevisions.isEmpty()
                      ? tr("Base revision (no parent)")
                      : tr("Parents: %1").arg(script->downRevisions.join(u", "_s)));
        if (!script->transactional)
            lines << tr("Runs outside a transaction");
        if (!script->needsReview.isEmpty())
            lines << tr("Needs review: %1").arg(script->needsReview);
    }
    if (row.hasLastRun) {
        const QString when = DateTimeFormat::timestamp(row.lastRunAt);
        lines << (row.lastRunBy.isEmpty()
                      ? tr("Last run: %1, took %2").arg(when, HistoryModel::formatDuration(row.lastRunMs))
                      : tr("Last run: %1 by %2, took %3")
                            .arg(when, row.lastRunBy, HistoryModel::formatDuration(row.lastRunMs)));
    }
    if (row.failedRuns > 0)
        lines << tr("%n failed run(s) recorded", nullptr, row.failedRuns);
    if (row.checksumChanged)
        lines << tr("Warning: the script file changed since this revision was applied.");
    return lines.join(QLatin1Char('\n'));
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(RevisionRole, "revision");
    names.insert(MessageRole, "message");
    names.insert(CreatedRole, "created");
    names.insert(StateRole, "state");
    names.insert(StateTextRole, "stateText");
    names.insert(LaneRole, "lane");
    names.insert(LaneCountRole, "laneCount");
    names.insert(ChildLanesRole, "childLanes");
    names.insert(ParentLanesRole, "parentLanes");
    names.insert(PassThroughLanesRole, "passThroughLanes");
    names.insert(ParentsRole, "parents");
    names.insert(FileNameRole, "fileName");
    names.insert(IsHeadRole, "isHead");
    names.insert(IsBranchPointRole, "isBranchPoint");
    names.insert(IsMergePointRole, "isMergePoint");
    names.insert(TransactionalRole, "transactional");
    names.insert(HasLastRunRole, "hasLastRun");
    names.insert(LastRunAtRole, "lastRunAt");
    names.insert(LastRunByRole, "lastRunBy");
    names.insert(LastRunDurationRole, "lastRunDuration");
    names.insert(ChecksumChangedRole, "checksumChanged");
    names.insert(FailedRunsRole, "failedRuns");
    names.insert(BranchLabelsRole, "branchLabels");
    names.insert(DependsOnRole, "dependsOn");
    names.insert(NeedsReviewRole, "needsReview");
    names.insert(DependencyPiecesRole, "dependencyPieces");
    return names;
}

} // namespace MigrationDesk
