#include "migrations/scriptwriter.h"

#include "migrations/migrationscript.h"
#include "migrations/scriptset.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
// Gives lupdate the same context ("ScriptWriter") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(ScriptWriter)
};
} // namespace

QString ScriptWriter::newRevisionId(const ScriptSet &scripts)
{
    for (;;) {
        const quint64 v = QRandomGenerator::system()->generate64() & Q_UINT64_C(0xFFFFFFFFFFFF);
        const QString id = u"%1"_s.arg(v, 12, 16, QLatin1Char('0'));
        if (!scripts.graph().contains(id))
            return id;
    }
}

QString ScriptWriter::slug(const QString &message)
{
    QString out;
    for (const QChar c : message.toLower()) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9')))
            out += c;
        else if (!out.isEmpty() && !out.endsWith(QLatin1Char('_')))
            out += QLatin1Char('_');
    }
    while (out.endsWith(QLatin1Char('_')))
        out.chop(1);
    out.truncate(40);
    while (out.endsWith(QLatin1Char('_')))
        out.chop(1);
    return out.isEmpty() ? u"revision"_s : out;
}

std::optional<QString> ScriptWriter::write(const ScriptSet &scripts, const QString &message,
                                           const QStringList &parents, QString *error, const QString &revisionId)
{
    auto fail = [&](const QString &text) -> std::optional<QString> {
        if (error)
            *error = text;
        return std::nullopt;
    };
    if (message.contains(QLatin1Char('\n')) || message.contains(QLatin1Char('\r')))
        return fail(Text::tr("the message must be a single line"));
    const QString id = revisionId.isEmpty() ? newRevisionId(scripts) : revisionId;
    if (!MigrationScript::isValidRevisionId(id))
        return fail(Text::tr("revision id '%1' is invalid: use 1 to 32 characters of [0-9a-z_]").arg(id));
    if (scripts.graph().contains(id))
        return fail(Text::tr("revision id '%1' is already used").arg(id));
    for (const QString &p : parents) {
        if (!scripts.graph().contains(p))
            return fail(Text::tr("parent revision '%1' does not exist").arg(p));
    }
    const QString path = QDir(scripts.directory()).filePath(u"%1_%2.sql"_s.arg(id, slug(message)));
    if (QFile::exists(path))
        return fail(Text::tr("%1 already exists").arg(path));
    const QString text = u"-- revision: %1\n-- down_revision: %2\n-- message: %3\n-- created: %4\n\n"
                                        "-- +upgrade\n\n\n-- +downgrade\n\n"_s
                             .arg(id, parents.isEmpty() ? u"none"_s : parents.join(u", "_s),
                                  message, QDateTime::currentDateTime().toString(u"yyyy-MM-dd HH:mm:ss"_s));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(Text::tr("cannot write %1: %2").arg(path, file.errorString()));
    file.write(text.toUtf8());
    if (!file.commit())
        return fail(Text::tr("cannot write %1: %2").arg(path, file.errorString()));
    return path;
}

} // namespace MigrationDesk
