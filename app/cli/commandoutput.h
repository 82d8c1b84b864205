#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace MigrationDesk {

// What one CLI command produced: one value that CliContext::print() renders either as text or as
// JSON, so no command needs a branch per output format. Value type; any thread.
struct CommandOutput
{
    int exitCode = 0;
    QJsonObject json;       // the whole --json document; empty prints nothing on stdout
    QString text;           // the text-mode stdout, whole lines
    QStringList info;       // text-mode narration on stderr (dropped by --quiet)
    QString error;          // printed as "error: ..." on stderr in both modes (secrets redacted)
    bool usageError = false; // error is about the command line: adds the --help hint
    bool textOnly = false;   // the text is the product (an SQL script): printed as is, also with --json

    // A failure: {"ok": false, "exit_code", "error"} in JSON mode, the error line on stderr in both.
    static CommandOutput failure(int exitCode, const QString &message);
    // A command-line error (exit 2): the failure document with "usage_error": true, and the --help hint.
    static CommandOutput usage(const QString &message);
    // The usual success document: {"ok": true, key: value}.
    static QJsonObject okJson(const QString &key, const QJsonValue &value);
};

} // namespace MigrationDesk
