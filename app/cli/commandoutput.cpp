#include "cli/commandoutput.h"

#include "cli/cliapp.h"
#include "db/connectionsettings.h"

namespace MigrationDesk {

CommandOutput CommandOutput::failure(int exitCode, const QString &message)
{
    CommandOutput out;
    out.exitCode = exitCode;
    out.error = message;
    out.json[QStringLiteral("ok")] = false;
    out.json[QStringLiteral("exit_code")] = exitCode;
    out.json[QStringLiteral("error")] = redactSecrets(message);
    return out;
}

CommandOutput CommandOutput::usage(const QString &message)
{
    CommandOutput out;
    out.exitCode = CliApp::UsageError;
    out.error = message;
    out.usageError = true;
    return out;
}

QJsonObject CommandOutput::okJson(const QString &key, const QJsonValue &value)
{
    QJsonObject o;
    o[QStringLiteral("ok")] = true;
    o[key] = value;
    return o;
}

} // namespace MigrationDesk
