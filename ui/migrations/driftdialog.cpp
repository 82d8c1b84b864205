#include "migrations/driftdialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
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

DriftDialog::DriftDialog(const DriftReport &report, const QString &error, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"driftDialog"_s);
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(report.drifted() ? Text::tr("Drift found") : Text::tr("Drift check"));
    auto *layout = new QVBoxLayout(this);
    auto *headline = new QLabel(!error.isEmpty()       ? Text::tr("⚠ The check failed.")
                                : report.drifted()      ? Text::tr("⚠ The database has drifted from its migrations.")
                                                        : Text::tr("✓ No drift found."),
                                this);
    QFont bold = headline->font();
    bold.setBold(true);
    headline->setFont(bold);
    layout->addWidget(headline);
    auto *details = new QPlainTextEdit(describe(report, error).trimmed(), this);
    details->setObjectName(u"driftText"_s);
    details->setReadOnly(true);
    details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(details, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(640, 380);
}

QString DriftDialog::describe(const DriftReport &report, const QString &error)
{
    QString text;
    if (!error.isEmpty()) {
        text = Text::tr("The drift check could not run:\n%1").arg(error);
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
    if (error.isEmpty() && !report.hasSnapshot)
        text += QLatin1Char('\n') + Text::tr("No schema snapshot is recorded yet; it is taken after the first run.");
    for (const QString &note : report.notes)
        text += QLatin1Char('\n') + note;
    return text;
}

} // namespace MigrationDesk
