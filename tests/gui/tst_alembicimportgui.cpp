// File > Import Alembic Project… against the real `alembic` and the fixture's real PostgreSQL: the dialog
// imports tests/db/alembicproject (branch labels, depends_on, a merge, one revision that reads rows through
// op.get_bind()), lists each revision's status, opens the folder as the migration source for a saved
// profile, and the timeline shows the tags, the dependency lanes, the needs-review badge and the disabled
// actions with their reason. Bad input and Cancel change nothing. Grabs land in the build tree's screens/.
#include "dbtest.h"
#include "filetree.h"
#include "pgfixture.h"

#include "mainwindow.h"
#include "migrations/alembicimportdialog.h"
#include "migrations/alembicimportlauncher.h"
#include "migrations/migrationsview.h"

#include "i18n/translator.h"
#include "models/dependencylanes.h"
#include "models/timelinemodel.h"
#include "session/appservices.h"
#include "session/profilestore.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeout = 120000;
const QString kProfile = u"team"_s;
const QString kDb = u"alembic_gui"_s;

QString screensDir()
{
    const QString dir = QCoreApplication::applicationDirPath() + u"/screens"_s;
    QDir().mkpath(dir);
    return dir;
}

void grab(QWidget *widget, const QString &name)
{
    QVERIFY2(widget->grab().save(screensDir() + u"/alembicimport-"_s + name + u".png"_s), qPrintable(name));
}

QPushButton *button(QWidget *dialog, const QString &name)
{
    auto *b = dialog->findChild<QPushButton *>(name);
    if (!b)
        qFatal("button %s missing", qPrintable(name));
    return b;
}

QString message(QWidget *dialog)
{
    return dialog->findChild<QLabel *>(u"importMessage"_s)->text();
}

// Fusion's usual dark scheme (as in tst_icons).
QPalette darkPalette()
{
    QPalette p;
    const QColor window(53, 53, 53), base(35, 35, 35), text(Qt::white);
    for (auto role : {QPalette::Window, QPalette::Button, QPalette::AlternateBase})
        p.setColor(role, window);
    p.setColor(QPalette::Base, base);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::HighlightedText})
        p.setColor(role, text);
    p.setColor(QPalette::Highlight, QColor(42, 130, 218));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(127, 127, 127));
    return p;
}

int sqlFiles(const QString &dir)
{
    return int(QDir(dir).entryList({u"*.sql"_s}, QDir::Files).size());
}

} // namespace

class TstAlembicImportGui : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void importOpenAndTimeline();
    void profileRemembersTheFolder();
    void badInputChangesNothing();
    void cancelWritesNothing();
    void koreanGrabs();
    void savingTheProfileKeepsTheFolder();

private:
    AlembicImportDialog *openDialog(MainWindow &window);
    // Fills the fields, clicks Import and waits for the result.
    void runImport(AlembicImportDialog *dialog, const QString &ini, const QString &out);

    AppServices m_services;
    QTemporaryDir m_tmp;
    QString m_project;
    QString m_out;
};

void TstAlembicImportGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"MigrationDesk"_s);
    QCoreApplication::setApplicationName(u"tst_alembicimportgui"_s);
    QVERIFY2(QSettings().fileName().contains(u".qttest"_s), qPrintable(QSettings().fileName()));
    QSettings().clear();
    QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
             qPrintable(PgFixture::shared().errorString()));
    QVERIFY2(!QStandardPaths::findExecutable(u"alembic"_s).isEmpty(),
             "alembic is not installed (.ci/deps.sh installs alembic and python3-psycopg2)");
    QVERIFY(m_tmp.isValid());
    m_project = m_tmp.filePath(u"project"_s);
    QVERIFY(DbTest::copyTree(QStringLiteral(MD_SOURCE_DIR) + u"/tests/db/alembicproject"_s, m_project));
    m_out = m_tmp.filePath(u"imported"_s);
    DbTest::freshDb(kDb);

    // A saved profile, as the connection dialog saves one: no password.
    QSettings settings;
    ProfileStore profiles(&settings);
    ConnectionProfile profile;
    profile.name = kProfile;
    profile.settings = DbTest::settings(kDb);
    profile.settings.password.clear();
    profiles.save(profile);
}

AlembicImportDialog *TstAlembicImportGui::openDialog(MainWindow &window)
{
    // Through the File menu's action, as a user finds it.
    QAction *action = window.findChild<QAction *>(u"importAlembicAction"_s);
    if (!action || !window.menuBar()->actions().first()->menu()->actions().contains(action))
        qFatal("File > Import Alembic Project… missing");
    action->trigger();
    AlembicImportDialog *dialog = window.alembicImport()->dialog();
    if (!dialog || !dialog->isVisible())
        qFatal("the import dialog did not open");
    return dialog;
}

void TstAlembicImportGui::runImport(AlembicImportDialog *dialog, const QString &ini, const QString &out)
{
    dialog->iniEdit()->setText(ini);
    dialog->outputEdit()->setText(out);
    QTest::mouseClick(button(dialog, u"importButton"_s), Qt::LeftButton);
    QVERIFY(dialog->isRunning());
    // The GUI thread stays free meanwhile: the step label says what the worker does.
    QVERIFY(!dialog->findChild<QLabel *>(u"importStep"_s)->text().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), kTimeout);
}

void TstAlembicImportGui::importOpenAndTimeline()
{
    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.connectToDatabase(DbTest::settings(kDb), kProfile);
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kTimeout);

    AlembicImportDialog *dialog = openDialog(window);
    runImport(dialog, m_project + u"/alembic.ini"_s, m_out);
    QVERIFY2(dialog->result().ok(), qPrintable(dialog->result().error));
    QCOMPARE(sqlFiles(m_out), 8);

    // The table: every revision, one needs review and says why.
    QTableWidget *table = dialog->revisionsTable();
    QCOMPARE(table->rowCount(), 8);
    QStringList review;
    QHash<QString, QString> labels;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QString revision = table->item(row, 0)->text();
        labels.insert(revision, table->item(row, 1)->text());
        if (table->item(row, 3)->data(Qt::UserRole).toString() == u"needs_review"_s) {
            review << revision;
            QVERIFY2(table->item(row, 3)->text().contains(u"get_bind"_s), qPrintable(table->item(row, 3)->text()));
        } else {
            QCOMPARE(table->item(row, 3)->data(Qt::UserRole).toString(), u"rendered"_s);
        }
    }
    QCOMPARE(review, QStringList{u"e0000006"_s});
    QCOMPARE(labels.value(u"e0000001"_s), u"core"_s);
    QCOMPARE(labels.value(u"a0000001"_s), u"audit"_s);
    QVERIFY2(message(dialog).contains(u"e0000006"_s), qPrintable(message(dialog))); // the heads
    QVERIFY(dialog->findChild<QLabel *>(u"sourceNote"_s)->text().contains(kProfile));
    grab(dialog, u"dialog-en"_s);
    dialog->resize(900 - 80, dialog->height());
    grab(dialog, u"dialog-en-narrow"_s);

    // Nothing is remembered until the user opens the folder.
    QSettings settings;
    QVERIFY(ProfileStore(&settings).migrationsDir(kProfile).isEmpty());
    QVERIFY(button(dialog, u"openAsSourceButton"_s)->isEnabled());
    QTest::mouseClick(button(dialog, u"openAsSourceButton"_s), Qt::LeftButton);
    QCOMPARE(ProfileStore(&settings).migrationsDir(kProfile), QDir::cleanPath(m_out));
    QCOMPARE(window.migrationsDir(), QDir::cleanPath(m_out));
    // ... and never a password next to it.
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(DbTest::settings(kDb).password.toUtf8()));

    // The timeline shows the imported revisions with their labels, dependency and badge.
    MigrationsView *view = window.migrationsView();
    TimelineModel *model = view->timelineModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 8, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(model->hasStatus(), kTimeout);
    QCOMPARE(model->indexOf(u"e0000001"_s).data(TimelineModel::BranchLabelsRole).toStringList(),
             QStringList{u"core"_s});
    QCOMPARE(model->indexOf(u"a0000001"_s).data(TimelineModel::BranchLabelsRole).toStringList(),
             QStringList{u"audit"_s});
    QCOMPARE(model->indexOf(u"a0000001"_s).data(TimelineModel::DependsOnRole).toStringList(),
             QStringList{u"e0000001"_s});
    // The dashed line: one lane, from a0000001's row down to e0000001's (rows are newest first).
    QCOMPARE(model->dependencyLaneCount(), 1);
    const int upper = model->indexOf(u"a0000001"_s).row();
    const int lower = model->indexOf(u"e0000001"_s).row();
    QVERIFY(upper < lower);
    for (int row = 0; row < model->rowCount(); ++row) {
        const QVariantList pieces = model->index(row).data(TimelineModel::DependencyPiecesRole).toList();
        const int expected = row == upper ? DependencyLanes::Upper
                             : row == lower ? DependencyLanes::Lower
                             : (row > upper && row < lower) ? DependencyLanes::Through
                                                            : -1;
        QCOMPARE(pieces.isEmpty() ? -1 : pieces.constFirst().toInt(), expected);
    }
    QVERIFY(model->indexOf(u"e0000006"_s).data(TimelineModel::NeedsReviewRole).toString().contains(u"get_bind"_s));
    QVERIFY(model->indexOf(u"e0000005"_s).data(TimelineModel::NeedsReviewRole).toString().isEmpty());
    QVERIFY(view->findChild<QWidget *>(u"timelineLegendAlembic"_s)->isVisible());

    // A revision that needs review: its actions are disabled and say why.
    QAbstractItemView *timeline = view->timelineView();
    timeline->setCurrentIndex(model->indexOf(u"e0000005"_s));
    QTRY_VERIFY(view->upgradeToHereAction()->isEnabled()); // a rendered one runs
    QVERIFY(!view->upgradeToHeadAction()->isEnabled());    // the head needs review
    QVERIFY2(view->upgradeToHeadAction()->toolTip().contains(u"e0000006"_s),
             qPrintable(view->upgradeToHeadAction()->toolTip()));
    timeline->setCurrentIndex(model->indexOf(u"e0000006"_s));
    QCOMPARE(view->selectedRevision(), u"e0000006"_s);
    for (QAction *action : {view->upgradeToHereAction(), view->stampAction()}) {
        QVERIFY2(!action->isEnabled(), qPrintable(action->objectName()));
        QVERIFY2(action->toolTip().contains(u"e0000006"_s) && action->toolTip().contains(u"get_bind"_s),
                 qPrintable(action->toolTip()));
    }
    // Back on a rendered revision, the usual tooltip returns.
    timeline->setCurrentIndex(model->indexOf(u"e0000005"_s));
    QCOMPARE(view->stampAction()->toolTip(), view->stampAction()->statusTip());
    timeline->setCurrentIndex(model->indexOf(u"e0000006"_s));

    window.setCurrentView(MainWindow::View::Migrations);
    window.resize(1280, 760);
    grab(&window, u"timeline-en"_s);
    window.resize(900, 760);
    QTest::qWait(50);
    grab(&window, u"timeline-en-900"_s);

    // Fusion's dark scheme: the tags and the dashed line take the palette's colours.
    const QPalette light = QApplication::palette();
    auto restore = qScopeGuard([light] { QApplication::setPalette(light); });
    QApplication::setPalette(darkPalette());
    window.resize(1280, 760);
    QTest::qWait(50);
    grab(&window, u"timeline-dark"_s);
}

void TstAlembicImportGui::profileRemembersTheFolder()
{
    // A new window (a restart): connecting through the profile brings its folder back.
    MainWindow window(m_services);
    window.show();
    QVERIFY(window.migrationsDir().isEmpty());
    window.connectToDatabase(DbTest::settings(kDb), kProfile);
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kTimeout);
    QCOMPARE(window.migrationsDir(), QDir::cleanPath(m_out));
    TimelineModel *model = window.migrationsView()->timelineModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->indexOf(u"e0000006"_s).isValid(), kTimeout);
    QCOMPARE(model->rowCount(), 8);

    // A connection without that profile goes back to the scripts used before.
    window.connectToDatabase(DbTest::settings(kDb));
    QTRY_VERIFY_WITH_TIMEOUT(window.migrationsDir().isEmpty(), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!model->indexOf(u"e0000006"_s).isValid(), kTimeout);
}

void TstAlembicImportGui::badInputChangesNothing()
{
    MainWindow window(m_services);
    window.show();
    AlembicImportDialog *dialog = openDialog(window);
    const QString out = m_tmp.filePath(u"bad"_s);

    // No project given: a message, no worker, no folder.
    dialog->outputEdit()->setText(out);
    QTest::mouseClick(button(dialog, u"importButton"_s), Qt::LeftButton);
    QVERIFY(!dialog->isRunning());
    QVERIFY2(message(dialog).contains(u"alembic.ini"_s), qPrintable(message(dialog)));

    // An .ini that is not an Alembic project: Alembic's own complaint, nothing written.
    const QString notAlembic = m_tmp.filePath(u"notalembic.ini"_s);
    QFile ini(notAlembic);
    QVERIFY(ini.open(QIODevice::WriteOnly));
    ini.write("[other]\nkey = value\n");
    ini.close();
    runImport(dialog, notAlembic, out);
    QVERIFY(!dialog->result().ok());
    QVERIFY2(message(dialog).startsWith(u"Nothing was imported"_s), qPrintable(message(dialog)));
    QCOMPARE(dialog->revisionsTable()->rowCount(), 0);
    QVERIFY(!button(dialog, u"openAsSourceButton"_s)->isEnabled());
    QVERIFY(!QFileInfo::exists(out));

    // A folder that already holds scripts: refused, nothing overwritten.
    const QByteArray before = [&] {
        QFile f(QDir(m_out).entryInfoList({u"*.sql"_s}).first().filePath());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    runImport(dialog, m_project, m_out);
    QVERIFY(!dialog->result().ok());
    QVERIFY2(message(dialog).contains(u"already holds"_s), qPrintable(message(dialog)));
    QCOMPARE(sqlFiles(m_out), 8);
    QFile first(QDir(m_out).entryInfoList({u"*.sql"_s}).first().filePath());
    QVERIFY(first.open(QIODevice::ReadOnly));
    QCOMPARE(first.readAll(), before);
    grab(dialog, u"dialog-error"_s);
}

void TstAlembicImportGui::cancelWritesNothing()
{
    MainWindow window(m_services);
    window.show();
    AlembicImportDialog *dialog = openDialog(window);
    const QString out = m_tmp.filePath(u"cancelled"_s);
    // Counted by name: threads retired by the previous test may still be ending, so the total moves; the
    // previous test's own import threads, too, end in their own time (retire() does not wait).
    const auto importThreads = [this] { return m_services.threads().names().count(u"AlembicImport"_s); };
    QTRY_COMPARE_WITH_TIMEOUT(importThreads(), 0, kTimeout);
    dialog->iniEdit()->setText(m_project);
    dialog->outputEdit()->setText(out);
    QTest::mouseClick(button(dialog, u"importButton"_s), Qt::LeftButton);
    QVERIFY(dialog->isRunning());
    // The worker runs on a thread of the app's root, not one of the dialog's own.
    QCOMPARE(importThreads(), 1);
    QTest::mouseClick(button(dialog, u"cancelImportButton"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), kTimeout);
    QVERIFY(dialog->result().cancelled);
    QVERIFY2(message(dialog).contains(u"cancelled"_s), qPrintable(message(dialog)));
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(!button(dialog, u"openAsSourceButton"_s)->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(importThreads(), 0, kTimeout);
}

void TstAlembicImportGui::koreanGrabs()
{
    Translator::install(u"ko"_s);
    auto restore = qScopeGuard([] { Translator::install(u"en"_s); });
    MainWindow window(m_services);
    window.show();
    window.connectToDatabase(DbTest::settings(kDb), kProfile);
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kTimeout);
    AlembicImportDialog *dialog = openDialog(window);
    runImport(dialog, m_project + u"/alembic.ini"_s, m_tmp.filePath(u"imported-ko"_s));
    QVERIFY2(dialog->result().ok(), qPrintable(dialog->result().error));
    grab(dialog, u"dialog-ko"_s);
    dialog->reject();

    TimelineModel *model = window.migrationsView()->timelineModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->indexOf(u"e0000006"_s).isValid() && model->hasStatus(), kTimeout);
    window.migrationsView()->timelineView()->setCurrentIndex(model->indexOf(u"e0000006"_s));
    window.setCurrentView(MainWindow::View::Migrations);
    window.resize(1280, 760);
    grab(&window, u"timeline-ko"_s);
    window.resize(900, 760);
    QTest::qWait(50);
    grab(&window, u"timeline-ko-900"_s);
}

void TstAlembicImportGui::savingTheProfileKeepsTheFolder()
{
    // The connection dialog saves a profile without knowing of the folder: the folder stays.
    QSettings settings;
    ProfileStore profiles(&settings);
    const QString folder = ProfileStore(&settings).migrationsDir(kProfile);
    QVERIFY(!folder.isEmpty());
    const auto profile = profiles.profile(kProfile);
    QVERIFY(profile);
    profiles.save(*profile);
    QCOMPARE(profiles.migrationsDir(kProfile), folder);
    // Removing the profile forgets it.
    profiles.remove(kProfile);
    QVERIFY(profiles.migrationsDir(kProfile).isEmpty());
}

QTEST_MAIN(TstAlembicImportGui)
#include "tst_alembicimportgui.moc"
