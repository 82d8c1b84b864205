// The whole app laid out, in English and Korean, at 1180x760 and at 900x700 (half of a 1920-pixel
// screen), on the offscreen platform against the fixture's server with demo data: the window's minimum
// width, no overlapping widgets, and nothing cut off.
//
// What counts as cut off (each offender is printed: view, language, size, widget or column, text,
// needed vs had, in pixels):
// - a QLabel whose text is wider than its contents rect; a word-wrapped label passes when its wrapped
//   text fits in its height and no single word is wider than it. A label elided on purpose passes when
//   its text ends in "…" and its tooltip holds the whole text.
// - a button (push, tool, check, radio) narrower than its size hint while it shows text, or reaching
//   outside an ancestor that clips it (a scroll area's viewport scrolls, so it is exempt).
// - a header section whose text (with the style's margins and sort mark) is wider than the section.
// - a cell of fixed-format content in the visible rows: a date, time, timestamp, number, or an enum's
//   label (schedule status, type, priority, role); `QFontMetrics::horizontalAdvance` of its DisplayRole
//   text plus the item margins (and its icon) wider than the column. Free text (titles, names, notes)
//   may be elided by the view.
// Custom-painted surfaces (the migration timeline, the calendar pages) are not read: their labels and
// buttons around them are.
//
// One row of the data-driven tests is one view, language and size: run one with
// `tst_layoutfit nothingCutOff "trash-audit ko 900"`. With MD_SHOT_DIR set, a PNG of every row is kept there.
#include "dbtest.h"
#include "pgfixture.h"

#include "connect/connectiondialog.h"
#include "data/datagrid.h"
#include "data/tablesview.h"
#include "db/sqlerror.h"
#include "db/auditlog.h"
#include "db/pgconnection.h"
#include "i18n/translator.h"
#include "mainwindow.h"
#include "migrations/historyview.h"
#include "migrations/migrationsview.h"
#include "migrations/plandialog.h"
#include "browse/lazytablemodel.h"
#include "scheduling/demodata.h"
#include "scheduling/enumlabels.h"
#include "scheduling/schedulegridmodel.h"
#include "scheduling/schedulesview.h"
#include "scheduling/trashview.h"
#include "scheduling/trashauditpane.h"
#include "session/appservices.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractScrollArea>
#include <QApplication>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QStyleOptionHeader>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTableView>
#include <QTextDocument>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {

const QString db = u"layoutfit"_s;
constexpr int kDbTimeout = 60000;
const QStringList kViews = {u"migrations"_s, u"history"_s,  u"tables"_s,     u"schedules-grid"_s,
                            u"schedules-week"_s, u"schedules-month"_s, u"trash"_s, u"trash-audit"_s,
                            u"connection-dialog"_s, u"plan-dialog"_s};
const QStringList kLanguages = {u"en"_s, u"ko"_s};
const QList<QSize> kSizes = {QSize(1180, 760), QSize(900, 700)};

QString describe(const QWidget *w)
{
    QString name = QString::fromLatin1(w->metaObject()->className());
    if (!w->objectName().isEmpty())
        name += u'#' + w->objectName();
    // The nearest named ancestor says where an unnamed widget sits.
    for (const QWidget *p = w->parentWidget(); p && w->objectName().isEmpty(); p = p->parentWidget()) {
        if (!p->objectName().isEmpty()) {
            name += u" in "_s + QString::fromLatin1(p->metaObject()->className()) + u'#' + p->objectName();
            break;
        }
    }
    return name;
}

QString plain(const QLabel *label)
{
    const QString text = label->text();
    if (label->textFormat() == Qt::PlainText
        || (label->textFormat() == Qt::AutoText && !Qt::mightBeRichText(text)))
        return text;
    QTextDocument doc;
    doc.setHtml(text);
    return doc.toPlainText();
}

// What a label or button draws: "&x" shows as an underlined x, "&&" as "&".
QString withoutMnemonic(QString text)
{
    text.replace(u"&&"_s, u"\x01"_s);
    text.remove(u'&');
    text.replace(u'\x01', u'&');
    return text;
}

// Where the minimum width comes from: from `w` down through the child whose own minimum is widest,
// as "Class#name 1077 > Class#name 930 > ...".
QString widestChain(QWidget *w)
{
    QStringList chain;
    while (w) {
        const int own = qMax(w->minimumSizeHint().width(), w->minimumWidth());
        chain.append(u"%1 %2"_s.arg(describe(w)).arg(own));
        QWidget *widest = nullptr;
        int widestWidth = 0;
        for (QObject *o : w->children()) {
            auto *child = qobject_cast<QWidget *>(o);
            // A stacked widget's other pages are hidden, and count all the same.
            if (!child || child->isWindow() || (child->isHidden() && !w->inherits("QStackedWidget")))
                continue;
            const int width = qMax(child->minimumSizeHint().width(), child->minimumWidth());
            if (width > widestWidth) {
                widest = child;
                widestWidth = width;
            }
        }
        w = widest;
    }
    return chain.join(u" > "_s);
}

int widestLine(const QFontMetrics &fm, const QString &text)
{
    int widest = 0;
    for (const QString &line : text.split(u'\n'))
        widest = qMax(widest, fm.horizontalAdvance(line));
    return widest;
}

bool isInsideScrolledContent(const QWidget *w, const QWidget *top)
{
    for (const QWidget *p = w->parentWidget(); p && p != top; p = p->parentWidget()) {
        if (qobject_cast<const QScrollArea *>(p->parentWidget() ? p->parentWidget()->parentWidget() : nullptr))
            return true;
    }
    return false;
}

// An enum's label in the current language, or its stored value: fixed-format content.
bool isEnumText(const QString &text)
{
    static QSet<QString> labels;
    static QString language;
    if (language != QLocale().name()) {
        language = QLocale().name();
        labels.clear();
        const auto add = [](const QStringList &values, QString (*label)(const QString &)) {
            for (const QString &v : values) {
                labels.insert(v);
                labels.insert(label(v));
            }
        };
        add(EnumLabels::scheduleTypes(), &EnumLabels::scheduleType);
        add(EnumLabels::statuses(), &EnumLabels::status);
        add(EnumLabels::priorities(), &EnumLabels::priority);
        add(EnumLabels::roles(), &EnumLabels::role);
    }
    return labels.contains(text);
}

// Dates, times, timestamps and numbers, in either language's formats.
bool isFixedFormatText(const QString &text)
{
    static const QRegularExpression pattern(
        u"^[-+]?[\\d.,:/ -]*\\d[\\d.,:/ -]*(\\s*(AM|PM|am|pm|오전|오후)\\s*[\\d:]*)?$|"
        "^(오전|오후)\\s*\\d{1,2}:\\d{2}(:\\d{2})?$|"
        "^\\d{1,2}\\s+\\p{L}{3,}\\.?\\s+\\d{4}|" // 5 Dec 2025
        "^\\d{4}\\.\\s*\\d{1,2}\\.\\s*\\d{1,2}\\.?"_s); // 2025. 12. 5.
    return pattern.match(text.trimmed()).hasMatch();
}

// The option a view's delegate paints a cell with (its own text, font and icon), read through the
// protected initStyleOption/initViewItemOption the way Qt's own subclasses call them.
struct DelegatePeek : QStyledItemDelegate
{
    static void init(const QStyledItemDelegate *delegate, QStyleOptionViewItem *option, const QModelIndex &index)
    {
        (delegate->*(&DelegatePeek::initStyleOption))(option, index);
    }
};
struct ViewPeek : QAbstractItemView
{
    static void init(const QAbstractItemView *view, QStyleOptionViewItem *option)
    {
        (view->*(&ViewPeek::initViewItemOption))(option);
    }
};

struct TabPeek : QTabBar
{
    static QSize sizeHint(const QTabBar *tabs, int index) { return (tabs->*(&TabPeek::tabSizeHint))(index); }
};

class Inspector
{
public:
    Inspector(QWidget *top, QString where)
        : m_top(top)
        , m_where(std::move(where))
    {
    }

    QStringList offenders() const { return m_offenders; }

    void inspect()
    {
        const QList<QWidget *> all = m_top->findChildren<QWidget *>();
        for (QWidget *w : all) {
            if (!w->isVisibleTo(m_top) || w->window() != m_top)
                continue;
            if (auto *label = qobject_cast<QLabel *>(w))
                checkLabel(label);
            else if (w->objectName() == u"qt_toolbar_ext_button"_s)
                checkToolBarOverflow(w);
            else if (auto *tabs = qobject_cast<QTabBar *>(w))
                checkTabs(tabs);
            else if (auto *button = qobject_cast<QAbstractButton *>(w))
                checkButton(button);
            else if (auto *header = qobject_cast<QHeaderView *>(w))
                checkHeader(header);
            if (auto *view = qobject_cast<QAbstractItemView *>(w))
                checkCells(view);
        }
    }

    // Two visible siblings sharing pixels, or a child reaching outside its parent (a squeezed layout).
    void inspectOverlaps()
    {
        QList<QWidget *> parents{m_top};
        parents += m_top->findChildren<QWidget *>();
        for (QWidget *parent : std::as_const(parents)) {
            if (!parent->isVisibleTo(m_top) && parent != m_top)
                continue;
            // A scroll area's parts and a view's viewport are placed by the widget itself.
            if (qobject_cast<QAbstractScrollArea *>(parent) || parent->inherits("QComboBox")
                || parent->inherits("QTabBar") || parent->inherits("QLineEdit") || parent->inherits("QSpinBox")
                || parent->inherits("QAbstractSpinBox") || parent->inherits("QToolBar")
                || parent->inherits("QDateTimeEdit"))
                continue;
            QList<QWidget *> kids;
            for (QObject *o : parent->children()) {
                auto *k = qobject_cast<QWidget *>(o);
                if (k && !k->isWindow() && k->isVisibleTo(m_top) && k->width() > 0 && k->height() > 0)
                    kids.append(k);
            }
            for (int i = 0; i < kids.size(); ++i) {
                const QRect a = kids.at(i)->geometry();
                if (!parent->rect().contains(a) && !isInsideScrolledContent(kids.at(i), m_top)
                    && !qobject_cast<QScrollArea *>(parent->parentWidget()))
                    add(u"%1 reaches outside its parent %2: %3 in %4"_s.arg(describe(kids.at(i)), describe(parent))
                            .arg(rectText(a), rectText(parent->rect())));
                for (int j = i + 1; j < kids.size(); ++j) {
                    const QRect shared = a.intersected(kids.at(j)->geometry());
                    if (!shared.isEmpty())
                        add(u"%1 overlaps %2 by %3x%4 px"_s.arg(describe(kids.at(i)), describe(kids.at(j)))
                                .arg(shared.width()).arg(shared.height()));
                }
            }
        }
    }

private:
    static QString rectText(const QRect &r)
    {
        return u"%1,%2 %3x%4"_s.arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
    }

    void add(const QString &what) { m_offenders.append(m_where + u": "_s + what); }

    void checkLabel(QLabel *label)
    {
        QString text = plain(label);
        if (label->textFormat() != Qt::RichText && label->buddy())
            text = withoutMnemonic(text);
        if (text.trimmed().isEmpty())
            return;
        const QFontMetrics fm(label->font());
        const int margin = label->margin() * 2 + qMax(label->indent(), 0);
        const int had = label->contentsRect().width() - margin;
        if (text.endsWith(u'\u2026') && !label->toolTip().isEmpty()
            && label->toolTip().startsWith(text.chopped(1).trimmed()))
            return; // elided on purpose, the whole text in the tooltip
        if (label->wordWrap()) {
            int widestWord = 0;
            for (const QString &word : text.split(QRegularExpression(u"\\s+"_s), Qt::SkipEmptyParts))
                widestWord = qMax(widestWord, fm.horizontalAdvance(word));
            if (widestWord > had)
                add(u"%1: a word of \u201c%2\u201d needs %3 px, had %4"_s.arg(describe(label), text.left(80))
                        .arg(widestWord).arg(had));
            const int neededHeight = label->heightForWidth(label->width());
            if (neededHeight > label->height())
                add(u"%1: wrapped \u201c%2\u201d needs %3 px high, had %4"_s.arg(describe(label), text.left(80))
                        .arg(neededHeight).arg(label->height()));
            return;
        }
        const int needed = widestLine(fm, text);
        if (needed > had)
            add(u"%1: \u201c%2\u201d needs %3 px, had %4"_s.arg(describe(label), text.left(80)).arg(needed).arg(had));
        else
            checkClippedByAncestors(label, text);
    }

    // A tool bar that shows its extension button (») hides actions that do not fit.
    void checkToolBarOverflow(QWidget *extension)
    {
        auto *bar = qobject_cast<QToolBar *>(extension->parentWidget());
        if (!bar)
            return;
        QStringList hidden;
        for (QAction *action : bar->actions()) {
            QWidget *button = bar->widgetForAction(action);
            if (!action->isSeparator() && action->isVisible() && button && !button->isVisible())
                hidden.append(withoutMnemonic(action->text()));
        }
        add(u"%1 hides %2 behind \u00bb: %3; needs %4 px, had %5"_s.arg(describe(bar)).arg(hidden.size())
                .arg(hidden.join(u", "_s)).arg(bar->sizeHint().width()).arg(bar->width()));
    }

    // Every tab shown whole: none elided, none pushed behind the scroll buttons.
    void checkTabs(QTabBar *tabs)
    {
        const QList<QToolButton *> arrows = tabs->findChildren<QToolButton *>();
        const bool scrolls = std::any_of(arrows.cbegin(), arrows.cend(), [](const QToolButton *b) { return b->isVisible(); });
        int all = 0;
        for (int i = 0; i < tabs->count(); ++i) {
            if (!tabs->isTabVisible(i))
                continue;
            const int needed = TabPeek::sizeHint(tabs, i).width();
            all += needed;
            if (tabs->tabRect(i).width() < needed)
                add(u"%1: tab \u201c%2\u201d needs %3 px, had %4"_s.arg(describe(tabs), withoutMnemonic(tabs->tabText(i)))
                        .arg(needed).arg(tabs->tabRect(i).width()));
        }
        if (scrolls)
            add(u"%1: the tabs scroll; they need %2 px, had %3"_s.arg(describe(tabs)).arg(all).arg(tabs->width()));
    }

    void checkButton(QAbstractButton *button)
    {
        if (button->text().isEmpty())
            return;
        if (auto *tool = qobject_cast<QToolButton *>(button); tool && tool->toolButtonStyle() == Qt::ToolButtonIconOnly)
            return;
        if (qobject_cast<QTabBar *>(button->parentWidget()))
            return; // a tab bar's scroll buttons: checkTabs reports the tabs they scroll
        const int needed = button->sizeHint().width();
        if (button->width() < needed)
            add(u"%1: \u201c%2\u201d needs %3 px, had %4"_s.arg(describe(button), button->text()).arg(needed)
                    .arg(button->width()));
        else
            checkClippedByAncestors(button, button->text());
    }

    // Shown whole in its own rect, but an ancestor (not a scrolling viewport) cuts it.
    void checkClippedByAncestors(QWidget *w, const QString &text)
    {
        QRect visible(QPoint(0, 0), w->size());
        for (QWidget *p = w->parentWidget(); p; p = p->parentWidget()) {
            if (p->parentWidget() && qobject_cast<QAbstractScrollArea *>(p->parentWidget()))
                return; // inside a viewport: it scrolls into view
            const QRect inParent(w->mapTo(p, QPoint(0, 0)), w->size());
            if (!p->rect().contains(inParent)) {
                const int had = p->rect().intersected(inParent).width();
                add(u"%1: \u201c%2\u201d is cut by %3 (%4 of %5 px shown)"_s.arg(describe(w), text.left(80), describe(p))
                        .arg(had).arg(visible.width()));
                return;
            }
            if (p == m_top)
                return;
        }
    }

    void checkHeader(QHeaderView *header)
    {
        QAbstractItemModel *model = header->model();
        if (!model)
            return;
        const bool horizontal = header->orientation() == Qt::Horizontal;
        const int count = horizontal ? model->columnCount(header->rootIndex()) : 0; // row numbers: see the cells
        const int firstPixel = 0;
        const int lastPixel = header->viewport()->width();
        for (int logical = 0; logical < count; ++logical) {
            if (header->isSectionHidden(logical) || header->sectionSize(logical) == 0)
                continue;
            const int start = header->sectionViewportPosition(logical);
            if (start + header->sectionSize(logical) <= firstPixel || start >= lastPixel)
                continue; // scrolled out of view
            const QString text = model->headerData(logical, header->orientation(), Qt::DisplayRole).toString();
            if (text.isEmpty())
                continue;
            QStyleOptionHeader opt;
            opt.initFrom(header);
            QFont font = header->font();
            const QVariant roleFont = model->headerData(logical, header->orientation(), Qt::FontRole);
            if (roleFont.canConvert<QFont>())
                font = qvariant_cast<QFont>(roleFont);
            if (header->highlightSections())
                font.setBold(true); // the width a selected column's bold title needs
            opt.fontMetrics = QFontMetrics(font);
            opt.section = logical;
            opt.text = text;
            opt.orientation = header->orientation();
            if (header->isSortIndicatorShown())
                opt.sortIndicator = QStyleOptionHeader::SortDown;
            const QVariant icon = model->headerData(logical, header->orientation(), Qt::DecorationRole);
            opt.icon = qvariant_cast<QIcon>(icon);
            const int needed = header->style()->sizeFromContents(QStyle::CT_HeaderSection, &opt, QSize(), header).width();
            const int had = header->sectionSize(logical);
            if (needed > had)
                add(u"%1: header \u201c%2\u201d needs %3 px, had %4"_s.arg(describe(header->parentWidget()), text)
                        .arg(needed).arg(had));
        }
    }

    void checkCells(QAbstractItemView *view)
    {
        auto *table = qobject_cast<QTableView *>(view);
        auto *tree = qobject_cast<QTreeView *>(view);
        if (!table && !tree)
            return; // list views paint their own rows (the timeline)
        QAbstractItemModel *model = view->model();
        if (!model)
            return;
        QHeaderView *header = table ? table->horizontalHeader() : tree->header();
        const int textMargin = view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1;
        const int viewportHeight = view->viewport()->height();
        const int viewportWidth = view->viewport()->width();
        QSet<int> reported;
        for (int y = 0; y < viewportHeight; y += 4) {
            const QModelIndex first = view->indexAt(QPoint(1, y));
            if (!first.isValid())
                continue;
            for (int column = 0; column < model->columnCount(first.parent()); ++column) {
                if (header->isSectionHidden(column) || reported.contains(column))
                    continue;
                if (tree && column == 0)
                    continue; // indented tree labels (schema and table names) are free text
                const int start = header->sectionViewportPosition(column);
                if (start + header->sectionSize(column) <= 0 || start >= viewportWidth)
                    continue;
                const QModelIndex index = model->index(first.row(), column, first.parent());
                const QVariant value = index.data(Qt::DisplayRole);
                // What the delegate draws: the grids' delegates format dates and times themselves.
                QStyleOptionViewItem option;
                ViewPeek::init(view, &option);
                option.rect = view->visualRect(index);
                auto *styled = qobject_cast<QStyledItemDelegate *>(view->itemDelegateForIndex(index));
                if (styled)
                    DelegatePeek::init(styled, &option, index);
                else
                    option.text = value.toString();
                const QString text = option.text;
                if (text.isEmpty())
                    continue;
                const bool typed = !value.toString().isEmpty() && value.typeId() == QMetaType::QDate || value.typeId() == QMetaType::QTime
                                   || value.typeId() == QMetaType::QDateTime || value.typeId() == QMetaType::Int
                                   || value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Double;
                if (!typed && !isFixedFormatText(text) && !isFixedFormatText(value.toString()) && !isEnumText(text))
                    continue;
                int needed = QFontMetrics(option.font).horizontalAdvance(text) + 2 * textMargin;
                if (option.features.testFlag(QStyleOptionViewItem::HasDecoration))
                    needed += option.decorationSize.width() + textMargin;
                const int had = header->sectionSize(column) - (table && table->showGrid() ? 1 : 0);
                if (needed > had) {
                    reported.insert(column);
                    add(u"%1: column \u201c%2\u201d cell \u201c%3\u201d needs %4 px, had %5"_s
                            .arg(describe(view), model->headerData(column, Qt::Horizontal).toString(), text)
                            .arg(needed).arg(had));
                }
            }
        }
        // Row numbers in a table's vertical header are fixed-format too.
        if (table && table->verticalHeader()->isVisible()) {
            QHeaderView *rows = table->verticalHeader();
            const int last = rows->logicalIndexAt(viewportHeight - 1);
            if (last >= 0) {
                const QString text = model->headerData(last, Qt::Vertical).toString();
                QStyleOptionHeader opt;
                opt.initFrom(rows);
                opt.text = text;
                opt.section = last;
                opt.orientation = Qt::Vertical;
                const int needed = rows->style()->sizeFromContents(QStyle::CT_HeaderSection, &opt, QSize(), rows).width();
                if (needed > rows->width())
                    add(u"%1: row number \u201c%2\u201d needs %3 px, had %4"_s.arg(describe(view), text).arg(needed)
                            .arg(rows->width()));
            }
        }
    }

    QWidget *m_top;
    QString m_where;
    QStringList m_offenders;
};

} // namespace

class TstLayoutFit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void inspectorFindsWhatIsCut();
    void minimumWidthFits_data();
    void minimumWidthFits();
    void nothingCutOff_data();
    void nothingCutOff();

private:
    // The window for a language, connected to the demo database; built again when the language changes.
    MainWindow *windowFor(const QString &language);
    bool prepare(MainWindow &window, const QString &view, QWidget **inspected);
    void closeDialogs(MainWindow &window);
    void shoot(QWidget *widget, const QString &name);

    AppServices m_services;
    std::unique_ptr<MainWindow> m_window;
    QString m_language;
};

void TstLayoutFit::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"MigrationDesk"_s);
    QCoreApplication::setApplicationName(u"tst_layoutfit"_s);
    QSettings().clear();
    const QString setUp = freshDbAtHead(db);
    QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
    PgConnection connection;
    QString error;
    QVERIFY2(connection.open(settings(db), &error), qPrintable(error));
    DemoDataOptions options;
    options.employees = 80;
    options.schedules = 2000;
    options.deletedRatio = 0.05;
    options.seed = 5;
    QVERIFY2(DemoDataGenerator::generate(connection, options, {}, nullptr, &error), qPrintable(error));
    // A few audit rows, as a restore and a purge write them, so that the Audit tab has content.
    AuditLog audit(connection);
    SqlError sqlError;
    QVERIFY2(audit.ensureTable(&sqlError), qPrintable(sqlError.message));
    const QString title = q(db, u"SELECT title FROM schedules ORDER BY schedule_id LIMIT 1"_s);
    for (const QString &action : {u"restore"_s, u"purge"_s, u"unmask"_s}) {
        AuditEntry entry;
        entry.action = action;
        entry.schema = u"public"_s;
        entry.table = u"schedules"_s;
        entry.rowKey = u"{\"schedule_id\": 1}"_s;
        entry.before = u"{\"schedule_id\": 1, \"title\": \"%1\", \"schedule_date\": \"2026-12-05\"}"_s.arg(title);
        entry.osUser = AuditLog::osUser();
        QVERIFY(connection.exec(u"BEGIN"_s, &sqlError));
        QVERIFY2(audit.record(entry, &sqlError), qPrintable(sqlError.message));
        QVERIFY(connection.exec(u"COMMIT"_s, &sqlError));
    }
}

void TstLayoutFit::cleanupTestCase()
{
    m_window.reset();
    Translator::install(u"en"_s);
}

// The rules themselves: each kind of cut is found, and what the rules allow is not reported.
void TstLayoutFit::inspectorFindsWhatIsCut()
{
    QWidget top;
    top.resize(600, 400);
    auto *cutLabel = new QLabel(u"A label far too long for its width"_s, &top);
    cutLabel->setGeometry(0, 0, 60, 20);
    auto *elided = new QLabel(u"A label elided on purpose\u2026"_s, &top);
    elided->setToolTip(u"A label elided on purpose, with its whole text in the tooltip"_s);
    elided->setGeometry(0, 30, 60, 20);
    auto *wrapped = new QLabel(u"A word-wrapped label with room"_s, &top);
    wrapped->setWordWrap(true);
    wrapped->setGeometry(0, 60, 120, 120);
    auto *button = new QPushButton(u"A button far too long"_s, &top);
    button->setGeometry(200, 0, 40, 30);
    auto *model = new QStandardItemModel(1, 3, &top);
    model->setHorizontalHeaderLabels({u"A rather long header title"_s, u"When"_s, u"Notes"_s});
    model->setItem(0, 0, new QStandardItem(u"x"_s));
    model->setItem(0, 1, new QStandardItem(u"2026-12-05 23:52:36"_s));
    model->setItem(0, 2, new QStandardItem(u"Free text that the view may elide"_s));
    auto *table = new QTableView(&top);
    table->setModel(model);
    table->setGeometry(0, 200, 400, 150);
    table->horizontalHeader()->setStretchLastSection(false);
    for (int c = 0; c < 3; ++c)
        table->setColumnWidth(c, 50);
    top.show();
    QVERIFY(QTest::qWaitForWindowExposed(&top));

    Inspector inspector(&top, u"self-test"_s);
    inspector.inspect();
    const QStringList found = inspector.offenders();
    const QString all = found.join(u'\n');
    QVERIFY2(all.contains(u"A label far too long"_s), qPrintable(all));
    QVERIFY2(all.contains(u"A button far too long"_s), qPrintable(all));
    QVERIFY2(all.contains(u"header \u201cA rather long header title\u201d"_s), qPrintable(all));
    QVERIFY2(all.contains(u"cell \u201c2026-12-05 23:52:36\u201d"_s), qPrintable(all));
    QCOMPARE(found.size(), 4);

    // Overlapping siblings are found too.
    auto *over = new QLabel(u"x"_s, &top);
    over->setGeometry(10, 10, 30, 10);
    over->show();
    Inspector overlaps(&top, u"self-test"_s);
    overlaps.inspectOverlaps();
    QVERIFY2(overlaps.offenders().join(u'\n').contains(u"overlaps"_s), qPrintable(overlaps.offenders().join(u'\n')));
}

MainWindow *TstLayoutFit::windowFor(const QString &language)
{
    if (m_window && m_language == language)
        return m_window.get();
    m_window.reset();
    Translator::install(language);
    m_language = language;
    m_window = std::make_unique<MainWindow>(m_services);
    m_window->resize(1180, 760);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return nullptr;
    m_window->connectToDatabase(settings(db));
    if (!QTest::qWaitFor([&] { return m_window->isConnected(); }, kDbTimeout))
        return nullptr;
    // Every view built once, so that the minimum size is the whole app's.
    for (MainWindow::View view : {MainWindow::View::Tables, MainWindow::View::Schedules, MainWindow::View::Trash,
                                  MainWindow::View::Migrations})
        m_window->setCurrentView(view);
    return m_window.get();
}

void TstLayoutFit::closeDialogs(MainWindow &window)
{
    if (auto *dialog = window.findChild<ConnectionDialog *>())
        dialog->reject();
    if (PlanDialog *plan = window.migrationsView()->planDialog(); plan && plan->isVisible())
        plan->reject();
    QApplication::processEvents();
}

void TstLayoutFit::shoot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MD_SHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    widget->grab().save(dir + u'/' + name + u".png"_s);
}

// Shows `view` and waits until it has its content; *inspected is the window, or the dialog shown.
bool TstLayoutFit::prepare(MainWindow &window, const QString &view, QWidget **inspected)
{
    *inspected = &window;
    if (view == u"migrations"_s || view == u"history"_s || view == u"plan-dialog"_s) {
        window.setCurrentView(MainWindow::View::Migrations);
        MigrationsView *migrations = window.migrationsView();
        if (!QTest::qWaitFor([&] { return migrations->timelineModel()->rowCount() >= 4; }, kDbTimeout))
            return false;
        auto *tabs = window.findChild<QTabWidget *>(u"migrationsTabs"_s);
        if (!tabs) {
            for (QWidget *p = migrations->historyView(); p && !tabs; p = p->parentWidget())
                tabs = qobject_cast<QTabWidget *>(p);
        }
        if (!tabs)
            return false;
        if (view == u"history"_s) {
            tabs->setCurrentWidget(tabs->widget(tabs->count() - 1));
            for (int i = 0; i < tabs->count(); ++i) {
                if (tabs->widget(i)->isAncestorOf(migrations->historyView()) || tabs->widget(i) == migrations->historyView())
                    tabs->setCurrentIndex(i);
            }
            return QTest::qWaitFor([&] { return migrations->historyView()->model()->rowCount() > 0; }, kDbTimeout);
        }
        tabs->setCurrentIndex(0);
        QAbstractItemView *timeline = migrations->timelineView();
        timeline->setCurrentIndex(timeline->model()->index(1, 0));
        if (view == u"plan-dialog"_s) {
            migrations->downgradeOneStepAction()->trigger();
            if (!QTest::qWaitFor([&] { return migrations->planDialog() && migrations->planDialog()->isVisible(); },
                                 kDbTimeout))
                return false;
            *inspected = migrations->planDialog();
        }
        QTest::qWait(50);
        return true;
    }
    if (view == u"tables"_s) {
        window.openTable(u"public"_s, u"schedules"_s);
        TablesView *tables = window.tablesView();
        return QTest::qWaitFor([&] {
            LazyTableModel *model = tables->model();
            return tables->isShowingGrid() && model && model->tableInfo().isValid() && model->rowCount() > 0
                   && model->isRowLoaded(0);
        }, kDbTimeout);
    }
    if (view.startsWith(u"schedules"_s)) {
        window.setCurrentView(MainWindow::View::Schedules);
        SchedulesView *schedules = window.schedulesView();
        schedules->setMode(view.endsWith(u"week"_s)    ? SchedulesView::Mode::Week
                           : view.endsWith(u"month"_s) ? SchedulesView::Mode::Month
                                                        : SchedulesView::Mode::Grid);
        // The grid opens on today's rows.
        const auto topRow = [&] { return schedules->model() ? schedules->grid()->rowAt(0) : -1; };
        if (!QTest::qWaitFor([&] { return topRow() >= 0 && schedules->model()->isRowLoaded(topRow()); }, kDbTimeout))
            return false;
        // The first row shown selected, so that the detail pane shows a schedule.
        const QModelIndex first = schedules->model()->index(topRow(), 1);
        if (schedules->grid()->currentIndex() != first)
            schedules->grid()->setCurrentIndex(first);
        QTest::qWait(300);
        return true;
    }
    if (view.startsWith(u"trash"_s)) {
        window.setCurrentView(MainWindow::View::Trash);
        TrashView *trash = window.trashView();
        auto *tabs = trash->findChild<QTabWidget *>(u"trashTabs"_s);
        if (!tabs)
            return false;
        tabs->setCurrentIndex(view == u"trash-audit"_s ? 2 : 0);
        if (view == u"trash-audit"_s)
            return QTest::qWaitFor([&] { return trash->auditPane()->findChild<QAbstractItemView *>()
                                                && trash->auditPane()->findChild<QAbstractItemView *>()->model()
                                                && trash->auditPane()->findChild<QAbstractItemView *>()->model()->rowCount() > 0; },
                                   kDbTimeout);
        return QTest::qWaitFor([&] {
            LazyTableModel *model = trash->model(TrashTable::Schedules);
            return model && model->rowCount() > 0 && model->isRowLoaded(0);
        }, kDbTimeout);
    }
    if (view == u"connection-dialog"_s) {
        window.openConnectionDialog();
        auto *dialog = window.findChild<ConnectionDialog *>();
        if (!dialog || !QTest::qWaitForWindowExposed(dialog))
            return false;
        *inspected = dialog;
        return true;
    }
    return false;
}

void TstLayoutFit::minimumWidthFits_data()
{
    QTest::addColumn<QString>("language");
    for (const QString &language : kLanguages)
        QTest::newRow(qPrintable(language)) << language;
}

void TstLayoutFit::minimumWidthFits()
{
    QFETCH(QString, language);
    MainWindow *window = windowFor(language);
    QVERIFY(window);
    const int minimum = window->minimumSizeHint().width();
    qInfo().noquote() << u"%1: the window's minimum width is %2 px"_s.arg(language).arg(minimum);
    QVERIFY2(minimum <= 900, qPrintable(u"%1: the window's minimum width is %2 px: %3"_s.arg(language).arg(minimum)
                                            .arg(widestChain(window))));
    window->resize(900, 700);
    QApplication::processEvents();
    QCOMPARE(window->width(), 900);
    QStringList offenders;
    for (const QString &view : kViews) {
        if (view.endsWith(u"dialog"_s))
            continue;
        QWidget *inspected = nullptr;
        QVERIFY2(prepare(*window, view, &inspected), qPrintable(view));
        QApplication::processEvents();
        Inspector inspector(inspected, u"%1 %2 900x700"_s.arg(view, language));
        inspector.inspectOverlaps();
        offenders += inspector.offenders();
        closeDialogs(*window);
    }
    QVERIFY2(offenders.isEmpty(), qPrintable(u"\n"_s + offenders.join(u'\n')));

    // The Schedules detail pane folds away when its splitter handle is dragged to the edge.
    QWidget *shown = nullptr;
    QVERIFY(prepare(*window, u"schedules-grid"_s, &shown));
    auto *splitter = window->schedulesView()->findChild<QSplitter *>(u"schedulesSplitter"_s);
    QVERIFY(splitter);
    QVERIFY(splitter->isCollapsible(1));
    QVERIFY(!splitter->isCollapsible(0));
    const int before = splitter->widget(0)->width();
    splitter->setSizes({splitter->width(), 0});
    QApplication::processEvents();
    QCOMPARE(splitter->sizes().at(1), 0);
    QVERIFY(splitter->widget(0)->width() > before);
    splitter->setSizes({before, splitter->width() - before});
}

void TstLayoutFit::nothingCutOff_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QString>("language");
    QTest::addColumn<QSize>("size");
    for (const QString &language : kLanguages) {
        for (const QString &view : kViews) {
            for (const QSize &size : kSizes)
                QTest::newRow(qPrintable(u"%1 %2 %3"_s.arg(view, language).arg(size.width()))) << view << language << size;
        }
    }
}

void TstLayoutFit::nothingCutOff()
{
    QFETCH(QString, view);
    QFETCH(QString, language);
    QFETCH(QSize, size);
    MainWindow *window = windowFor(language);
    QVERIFY(window);
    window->resize(size);
    QApplication::processEvents();
    QCOMPARE(window->size(), size);
    QWidget *inspected = nullptr;
    QVERIFY2(prepare(*window, view, &inspected), qPrintable(u"%1 did not load"_s.arg(view)));
    auto close = qScopeGuard([&] { closeDialogs(*window); });
    if (inspected != window) {
        // A dialog opens at its own size; it must fit the window's screen share.
        inspected->resize(qMin(inspected->width(), size.width()), qMin(inspected->height(), size.height()));
        QVERIFY2(inspected->minimumSizeHint().width() <= size.width(),
                 qPrintable(u"%1: minimum width %2 px"_s.arg(view).arg(inspected->minimumSizeHint().width())));
    }
    QApplication::processEvents();
    QTest::qWait(20);
    shoot(inspected, u"%1-%2-%3"_s.arg(view, language).arg(size.width()));
    Inspector inspector(inspected, u"%1 %2 %3x%4"_s.arg(view, language).arg(size.width()).arg(size.height()));
    inspector.inspect();
    const QStringList offenders = inspector.offenders();
    for (const QString &offender : offenders)
        qWarning().noquote() << offender;
    QVERIFY2(offenders.isEmpty(), qPrintable(u"%1 cut off:\n"_s.arg(offenders.size()) + offenders.join(u'\n')));
}

QTEST_MAIN(TstLayoutFit)
#include "tst_layoutfit.moc"
