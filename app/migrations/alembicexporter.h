#pragma once

#include "migrations/alembicproject.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>

namespace MigrationDesk {

// Reads an Alembic project through Alembic itself: runs the bundled export helper with the Python
// interpreter that runs the team's `alembic`, and parses what it prints. Blocks while Python works:
// call it on a worker thread (the GUI) or from the CLI; it lives on the thread that calls it.
class AlembicExporter
{
public:
    struct Result
    {
        std::optional<AlembicProject> project;
        QString error;               // why there is no project
        QStringList triedInterpreters;
        bool cancelled = false;      // *cancel was set: Python was killed, nothing was read
    };

    // The interpreters to try, in order: the explicit one alone, else the one on the shebang line of
    // the `alembic` found on PATH, then python3 (each resolved on env's PATH).
    static QStringList candidateInterpreters(const QString &explicitPython, const QProcessEnvironment &env);
    // The helper's Python source (a Qt resource).
    static QByteArray helperSource();

    // path: an alembic.ini or the folder holding it. timeoutMs bounds one interpreter's run. cancel,
    // when given, may be set from another thread: the Python child is killed within a tenth of a second.
    static Result run(const QString &path, const QString &explicitPython, const QProcessEnvironment &env,
                      int timeoutMs = 600000, const std::atomic_bool *cancel = nullptr);
};

} // namespace MigrationDesk
