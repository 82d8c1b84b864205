#pragma once

#include "session/alembicimportworker.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace MigrationDesk {

class WorkerThreads;

// File > Import Alembic Project…: takes the project's alembic.ini and an output folder (typed, or picked
// with the Browse buttons), runs the import on a worker thread from WorkerThreads with the current step
// and Cancel, shows each revision's status (rendered, or needs review and why), then offers the folder
// as the migration source. GUI thread; it never waits on Python.
class AlembicImportDialog : public QDialog
{
    Q_OBJECT

public:
    // profileName: the connection profile the folder will be remembered for ("" when there is none).
    AlembicImportDialog(WorkerThreads &threads, const QString &profileName, QWidget *parent = nullptr);
    ~AlembicImportDialog() override;

    QLineEdit *iniEdit() const { return m_ini; }
    QLineEdit *outputEdit() const { return m_output; }
    QLineEdit *pythonEdit() const { return m_python; }
    QTableWidget *revisionsTable() const { return m_table; }
    bool isRunning() const { return m_worker != nullptr; }
    const AlembicImportResult &result() const { return m_result; }

    // Checks the fields and starts the worker; a missing field gets a message and starts nothing.
    void startImport();
    void cancelImport();

Q_SIGNALS:
    // The user chose to open the imported folder as the migration source.
    void openAsSourceRequested(const QString &folder);

private:
    void browseIni();
    void browseOutput();
    void onStep(AlembicImportWorker::Step step);
    void onFinished(const AlembicImportResult &result);
    void showMessage(const QString &text, bool problem);
    void fillTable(const AlembicProject &project);
    void setRunning(bool running);

    WorkerThreads &m_threads;
    QString m_profile;
    QPointer<AlembicImportWorker> m_worker;
    AlembicImportResult m_result;

    QLineEdit *m_ini = nullptr;
    QLineEdit *m_output = nullptr;
    QLineEdit *m_python = nullptr;
    QWidget *m_progressRow = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_step = nullptr;
    QLabel *m_message = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_sourceNote = nullptr;
    QPushButton *m_importButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_openButton = nullptr;
    QPushButton *m_closeButton = nullptr;
};

} // namespace MigrationDesk
