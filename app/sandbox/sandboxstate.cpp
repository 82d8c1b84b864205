#include "sandbox/sandboxstate.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("Sandbox") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(Sandbox)
};

} // namespace

SandboxState SandboxState::read(const QString &file)
{
    SandboxState state;
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return state;
    const QJsonObject json = QJsonDocument::fromJson(in.readAll()).object();
    state.port = json.value(u"port"_s).toInt();
    state.demoFilled = json.value(u"demoFilled"_s).toBool();
    return state;
}

bool SandboxState::write(const QString &file, const QString &socketDirectory, const QString &database,
                         const QString &user, QString *error) const
{
    QJsonObject json;
    json.insert(u"port"_s, port);
    json.insert(u"socketDirectory"_s, socketDirectory);
    json.insert(u"database"_s, database);
    json.insert(u"user"_s, user);
    json.insert(u"demoFilled"_s, demoFilled);
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(json).toJson()) < 0 || !out.commit()) {
        *error = Text::tr("Cannot write %1: %2").arg(out.fileName(), out.errorString());
        return false;
    }
    return true;
}

} // namespace MigrationDesk
