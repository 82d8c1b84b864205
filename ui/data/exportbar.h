#pragma once

#include "browse/csvexporter.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace MigrationDesk {

class AppServices;

// The Tables view's CSV export: runs one CsvExporter on a worker thread from the AppServices (which
// must outlive the bar) and shows its progress, outcome and a Cancel button. GUI thread.
class ExportBar : public QWidget
{
    Q_OBJECT

public:
    explicit ExportBar(AppServices &services, QWidget *parent = nullptr);
    ~ExportBar() override;

    // Where the file dialog first proposes to save `table`: the documents folder, the table's name with
    // the characters file systems refuse replaced.
    static QString suggestedPath(const QString &table);

    // Starts exporting (the bar shows itself); `title` names what is exported in the status line.
    void start(const CsvExportRequest &request, const QString &title);
    // Asks the running export to stop; finished() follows with Cancelled.
    void cancel();
    // Joins the export thread, interrupting an export still running: no file is left half written.
    void stop();
    bool isExporting() const { return m_exporter != nullptr; }
    QString statusText() const;

Q_SIGNALS:
    void finished(MigrationDesk::CsvExporter::Outcome outcome, qint64 rows, const QString &message);

private:
    void onProgress(qint64 rows, qint64 estimate);
    void onFinished(CsvExporter::Outcome outcome, qint64 rows, const QString &message);

    AppServices &m_services;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_cancel;
    CsvExporter *m_exporter = nullptr;
};

} // namespace MigrationDesk
