// The drift check's result dialog (DriftDialog), on its own: its text for each outcome and its widgets.
#include "migrations/driftdialog.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QtTest>

using namespace Qt::StringLiterals;
using MigrationDesk::DriftDialog;
using MigrationDesk::DriftReport;

class TestDriftDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanWithSnapshot();
    void cleanWithoutSnapshotSaysSo();
    void driftListsBothKindsAndNotes();
    void errorWinsOverTheReport();
    void dialogShowsHeadlineAndText();
};

void TestDriftDialog::cleanWithSnapshot()
{
    DriftReport report;
    report.hasSnapshot = true;
    const QString text = DriftDialog::describe(report, {});
    QVERIFY(text.startsWith(u"No drift:"_s));
    QVERIFY(!text.contains(u"No schema snapshot"_s));
}

void TestDriftDialog::cleanWithoutSnapshotSaysSo()
{
    const QString text = DriftDialog::describe(DriftReport(), {});
    QVERIFY(text.startsWith(u"No drift:"_s));
    QVERIFY(text.contains(u"No schema snapshot is recorded yet"_s));
}

void TestDriftDialog::driftListsBothKindsAndNotes()
{
    DriftReport report;
    report.hasSnapshot = true;
    report.schemaDifferences = {u"table public.sneaky was added"_s};
    report.checksumDifferences = {u"0002 changed"_s};
    report.notes = {u"a note"_s};
    const QString text = DriftDialog::describe(report, {});
    const qsizetype schema = text.indexOf(u"The schema differs"_s);
    const qsizetype scripts = text.indexOf(u"Scripts edited after they were applied:"_s);
    QVERIFY(schema >= 0 && scripts > schema);
    QVERIFY(text.contains(u"  • table public.sneaky was added\n"_s));
    QVERIFY(text.contains(u"  • 0002 changed\n"_s));
    QVERIFY(text.endsWith(u"\na note"_s));
    QVERIFY(!text.contains(u"No drift"_s));
}

void TestDriftDialog::errorWinsOverTheReport()
{
    DriftReport report;
    report.schemaDifferences = {u"ignored"_s};
    const QString text = DriftDialog::describe(report, u"connection lost"_s);
    QVERIFY(text.startsWith(u"The drift check could not run:\nconnection lost"_s));
    QVERIFY(!text.contains(u"ignored"_s));
    // A failed check has no snapshot to speak of.
    QVERIFY(!text.contains(u"No schema snapshot"_s));
}

void TestDriftDialog::dialogShowsHeadlineAndText()
{
    DriftReport report;
    report.hasSnapshot = true;
    report.schemaDifferences = {u"column x was dropped"_s};
    QPointer<DriftDialog> dialog = new DriftDialog(report, {});
    QCOMPARE(dialog->objectName(), u"driftDialog"_s);
    QCOMPARE(dialog->windowTitle(), u"Drift found"_s);
    QVERIFY(dialog->testAttribute(Qt::WA_DeleteOnClose));
    auto *text = dialog->findChild<QPlainTextEdit *>(u"driftText"_s);
    QVERIFY(text);
    QVERIFY(text->isReadOnly());
    QCOMPARE(text->toPlainText(), DriftDialog::describe(report, {}).trimmed());
    bool headline = false;
    for (const QLabel *label : dialog->findChildren<QLabel *>())
        headline = headline || label->text().contains(u"drifted from its migrations"_s);
    QVERIFY(headline);
    dialog->show();
    dialog->close();
    QTRY_VERIFY(dialog.isNull());
}

QTEST_MAIN(TestDriftDialog)
#include "tst_driftdialog.moc"
