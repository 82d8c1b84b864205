#pragma once

#include "migrations/alembicproject.h"

#include <QMetaType>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>

namespace MigrationDesk {

// What one GUI import produced: the project as Alembic read it and the files written, or why not.
struct AlembicImportResult
{
    std::optional<AlembicProject> project; // set once Alembic read the project
    QStringList files;                     // the scripts written, in the project's revision order
    QString outDir;
    QString error;                         // empty on success
    bool cancelled = false;

    bool ok() const { return project && error.isEmpty(); }
};

// Imports an Alembic project for the desktop app: runs AlembicExporter (Python in a child process), writes
// the scripts with AlembicScriptWriter and checks that they load, telling each step as it starts. Lives on
// its own thread from WorkerThreads; run() is invoked queued, cancel() is thread-safe.
class AlembicImportWorker : public QObject
{
    Q_OBJECT

public:
    enum class Step { Reading, Writing, Checking };
    Q_ENUM(Step)

    explicit AlembicImportWorker(QObject *parent = nullptr);

    // Thread-safe: kills the Python child; nothing is written once it is set.
    void cancel() { m_cancel = true; }

public Q_SLOTS:
    // ini: an alembic.ini or the folder holding it; python: empty for the usual search.
    void run(const QString &ini, const QString &outDir, const QString &python,
             const QProcessEnvironment &environment);

Q_SIGNALS:
    void stepStarted(MigrationDesk::AlembicImportWorker::Step step);
    void finished(const MigrationDesk::AlembicImportResult &result);

private:
    std::atomic_bool m_cancel{false};
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::AlembicImportResult)
