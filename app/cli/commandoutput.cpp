#include "cli/commandoutput.h"

#include "cli/cliapp.h"
#include "db/connectionsettings.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

CommandOutput CommandOutput::failure(int exitCode, const QString &message)
{
    CommandOutput out;
    out.exitCode = exitCode;
    out.error = message;
    out.json[u"ok"_s] = false;
    out.json[u"exit_code"_s] = exitCode;
    out.json[u"error"_s] = redactSecrets(message);
    return out;
}

CommandOutput CommandOutput::usage(const QString &message)
{
    CommandOutput out = failure(CliApp::UsageError, message);
    out.usageError = true;
    out.json[u"usage_error"_s] = true;
    return out;
}

QJsonObject CommandOutput::okJson(const QString &key, const QJsonValue &value)
{
    QJsonObject o;
    o[u"ok"_s] = true;
    o[key] = value;
    return o;
}

} // namespace MigrationDesk
