#include "data/exportbar.h"

#include "session/appservices.h"

#include <QCoreApplication>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>

#include <climits>
#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages began in the Tables view and keep its translation context, so their translations carry over.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::TablesView)
};

} // namespace

ExportBar::ExportBar(AppServices &services, QWidget *parent)
    : QWidget(parent)
    , m_services(services)
{
    setObjectName(u"exportBar"_s);
    auto *exportRow = new QHBoxLayout(this);
    exportRow->setContentsMargins(0, 0, 0, 0);
    m_status = new QLabel(this);
    m_status->setObjectName(u"exportStatus"_s);
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"exportProgress"_s);
    m_progress->setMaximumWidth(240);
    m_cancel = new QPushButton(Text::tr("Cancel Export"), this);
    m_cancel->setObjectName(u"cancelExport"_s);
    exportRow->addWidget(m_status, 1);
    exportRow->addWidget(m_progress);
    exportRow->addWidget(m_cancel);
    hide();
    connect(m_cancel, &QPushButton::clicked, this, &ExportBar::cancel);
}

ExportBar::~ExportBar()
{
    stop();
}

QString ExportBar::suggestedPath(const QString &table)
{
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    // The file name is the table's own name; characters a file system refuses become _.
    QString name = table;
    name.replace(QRegularExpression(u"[/\\\\:*?\"<>|]"_s), u"_"_s);
    return QDir(folder).filePath(name + u".csv"_s);
}

void ExportBar::start(const CsvExportRequest &request, const QString &title)
{
    auto exporter = new CsvExporter;
    m_exporter = m_services.threads().start(exporter, u"CsvExporter"_s, [exporter] { exporter->cancel(); });
    connect(m_exporter, &CsvExporter::progress, this, &ExportBar::onProgress);
    connect(m_exporter, &CsvExporter::finished, this, &ExportBar::onFinished);
    QMetaObject::invokeMethod(exporter, [exporter, request] { exporter->run(request); }, Qt::QueuedConnection);

    m_progress->setRange(0, request.estimatedRows > 0 ? 1000 : 0);
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    m_cancel->setEnabled(true);
    m_status->setText(Text::tr("Exporting %1 to %2…").arg(title, QDir::toNativeSeparators(request.path)));
    show();
}

void ExportBar::onProgress(qint64 rows, qint64 estimate)
{
    if (estimate > 0) {
        // The estimate can be low: the bar stays just short of full until the export finishes.
        m_progress->setValue(int(qMin<qint64>(999, rows * 1000 / estimate)));
        // The sources read as the plural; the translations hold a form per count (n picks it).
        m_status->setText(Text::tr("Exported %1 of ≈ %2 rows…", nullptr, int(qMin<qint64>(estimate, INT_MAX)))
                              .arg(QLocale().toString(qlonglong(rows)), QLocale().toString(qlonglong(estimate))));
    } else {
        m_status->setText(Text::tr("Exported %1 rows…", nullptr, int(qMin<qint64>(rows, INT_MAX))).arg(QLocale().toString(qlonglong(rows))));
    }
}

void ExportBar::onFinished(CsvExporter::Outcome outcome, qint64 rows, const QString &message)
{
    stop();
    m_progress->hide();
    m_cancel->hide();
    switch (outcome) {
    case CsvExporter::Finished:
        m_status->setText(Text::tr("Exported %1 rows to %2.", nullptr, int(qMin<qint64>(rows, INT_MAX)))
                              .arg(QLocale().toString(qlonglong(rows)), QDir::toNativeSeparators(message)));
        break;
    case CsvExporter::Cancelled:
        m_status->setText(Text::tr("Export cancelled; no file was written."));
        break;
    case CsvExporter::Failed:
        m_status->setText(Text::tr("Export failed; no file was written: %1").arg(message));
        break;
    }
    Q_EMIT finished(outcome, rows, message);
}

void ExportBar::cancel()
{
    if (!m_exporter)
        return;
    m_exporter->cancel();
    m_cancel->setEnabled(false);
    m_status->setText(Text::tr("Cancelling the export…"));
}

void ExportBar::stop()
{
    if (!m_exporter)
        return;
    // Waited for: after a finished export this is immediate, and a view going away must not leave a
    // half-written file behind.
    m_services.threads().stop(std::exchange(m_exporter, nullptr));
}

QString ExportBar::statusText() const
{
    return m_status->text();
}

} // namespace MigrationDesk
