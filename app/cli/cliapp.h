#pragma once

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTextStream>

#include <memory>

namespace MigrationDesk {

class CliContext;

// migrationdesk-cli: parses a command line (CliParser), runs the command (the *Commands classes) on
// the calling thread with one CliContext, and prints its output as text or JSON. cancel() is the one
// call that is safe from any thread.
class CliApp : public QObject
{
    Q_OBJECT

public:
    enum ExitCode { Ok = 0, MigrationFailed = 1, UsageError = 2, ConnectionFailed = 3, DriftFound = 4, ReviewFailed = 5,
                    NoSnapshot = 6 };

    CliApp(QTextStream &out, QTextStream &err, const QProcessEnvironment &environment, QObject *parent = nullptr);
    ~CliApp() override;

    int run(const QStringList &arguments);
    // Asks the running migration to stop (SIGINT/SIGTERM); safe from any thread.
    void cancel();

    QString usage() const;

private:
    QTextStream &m_out;
    std::unique_ptr<CliContext> m_context;
};

} // namespace MigrationDesk
