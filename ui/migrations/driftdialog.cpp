#include "migrations/driftdialog.h"

#include "session/databaseworker.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages began in the Migrations view and keep its translation context, so their translations carry over.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationsView)
};

} // namespace

DriftDialog::DriftDialog(const DriftReport &report, const QString &error, DatabaseWorker *worker, QWidget *parent)
    : QDialog(parent)
    , m_worker(worker)
{
    setObjectName(u"driftDialog"_s);
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(report.drifted() ? Text::tr("Drift found") : Text::tr("Drift check"));
    auto *layout = new QVBoxLayout(this);
    m_headline = new QLabel(headline(report, error), this);
    m_headline->setObjectName(u"driftHeadline"_s);
    m_headline->setWordWrap(true);
    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);
    layout->addWidget(m_headline);
    m_details = new QPlainTextEdit(describe(report, error).trimmed(), this);
    m_details->setObjectName(u"driftText"_s);
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_details, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    if (error.isEmpty() && report.needsBaseline() && m_worker) {
        m_baseline = buttons->addButton(Text::tr("Record baseline"), QDialogButtonBox::ActionRole);
        m_baseline->setObjectName(u"recordBaselineButton"_s);
        m_baseline->setToolTip(Text::tr("Record the current schema as the snapshot for %1, so that later checks "
                                        "compare with it. Nothing else changes.")
                                   .arg(report.unrecordedHeads.join(u", "_s)));
        connect(m_baseline, &QPushButton::clicked, this, &DriftDialog::recordBaseline);
        connect(m_worker, &DatabaseWorker::baselineRecorded, this, &DriftDialog::onBaselineRecorded);
    }
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(640, 380);
}

QString DriftDialog::headline(const DriftReport &report, const QString &error)
{
    if (!error.isEmpty())
        return Text::tr("⚠ The check failed.");
    if (report.drifted())
        return Text::tr("⚠ The database has drifted from its migrations.");
    if (report.needsBaseline())
        return Text::tr("ⓘ No schema snapshot to compare with.");
    return Text::tr("✓ No drift found.");
}

void DriftDialog::recordBaseline()
{
    if (!m_worker || m_recording)
        return;
    m_recording = true;
    m_baseline->setEnabled(false);
    QPointer<DatabaseWorker> worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker] {
            if (worker)
                worker->recordBaseline();
        },
        Qt::QueuedConnection);
}

void DriftDialog::onBaselineRecorded(const DriftReport &report, const QString &error)
{
    if (!m_recording)
        return;
    m_recording = false;
    if (!error.isEmpty()) {
        m_baseline->setEnabled(true);
        m_details->appendPlainText(u"\n"_s + Text::tr("The baseline was not recorded: %1").arg(error));
        return;
    }
    m_baseline->hide();
    m_headline->setText(headline(report, error));
    setWindowTitle(report.drifted() ? Text::tr("Drift found") : Text::tr("Drift check"));
    m_details->setPlainText(Text::tr("Recorded the current schema as the snapshot for %1; later checks compare "
                                     "with it.")
                                .arg(report.heads.join(u", "_s))
                            + u"\n\n"_s + describe(report, error).trimmed());
}

QString DriftDialog::describe(const DriftReport &report, const QString &error)
{
    QString text;
    if (!error.isEmpty()) {
        text = Text::tr("The drift check could not run:\n%1").arg(error);
    } else if (report.needsBaseline() && !report.drifted()) {
        text = (report.appliedOutside
                    ? Text::tr("No schema snapshot is recorded for revision %1: it was applied outside MigrationDesk "
                               "(e.g. by Alembic), so schema drift cannot be checked.")
                    : Text::tr("No schema snapshot is recorded for revision %1, so schema drift cannot be checked."))
                   .arg(report.unrecordedHeads.join(u", "_s))
            + u"\n\n"_s
            + Text::tr("Record baseline saves the current schema as the snapshot for %1 (nothing else changes); "
                       "later checks compare with it.")
                  .arg(report.unrecordedHeads.join(u", "_s))
            + QLatin1Char('\n');
    } else if (!report.drifted()) {
        text = Text::tr("No drift: the schema matches the snapshot recorded after the last run, and every applied "
                        "script is unchanged.");
    } else {
        if (!report.schemaDifferences.isEmpty()) {
            text += Text::tr("The schema differs from the one recorded after the last run:") + QLatin1Char('\n');
            for (const QString &d : report.schemaDifferences)
                text += u"  • "_s + d + QLatin1Char('\n');
            text += QLatin1Char('\n');
        }
        if (!report.checksumDifferences.isEmpty()) {
            text += Text::tr("Scripts edited after they were applied:") + QLatin1Char('\n');
            for (const QString &d : report.checksumDifferences)
                text += u"  • "_s + d + QLatin1Char('\n');
            text += QLatin1Char('\n');
        }
    }
    if (error.isEmpty() && !report.hasSnapshot && !report.needsBaseline())
        text += QLatin1Char('\n') + Text::tr("No schema snapshot is recorded yet; it is taken after the first run.");
    for (const QString &note : report.notes)
        text += QLatin1Char('\n') + note;
    return text;
}

} // namespace MigrationDesk
