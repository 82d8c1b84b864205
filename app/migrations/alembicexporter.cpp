#include "migrations/alembicexporter.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("AlembicExporter") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(AlembicExporter)
};

// The helper's exit codes (see alembicexport.py).
constexpr int helperNoAlembic = 3;
constexpr int helperBadProject = 4;

QString findOnPath(const QString &name, const QProcessEnvironment &env)
{
    if (name.contains(QLatin1Char('/')))
        return QFileInfo(name).isExecutable() ? name : QString();
    const QStringList dirs = env.value(u"PATH"_s).split(QLatin1Char(':'), Qt::SkipEmptyParts);
    return QStandardPaths::findExecutable(name, dirs);
}

// "#!/usr/bin/python3", "#!/usr/bin/env python3", "#!/venv/bin/python -E": the interpreter.
QString shebangInterpreter(const QString &script, const QProcessEnvironment &env)
{
    QFile f(script);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString line = QString::fromUtf8(f.readLine(4096)).trimmed();
    if (!line.startsWith(QLatin1String("#!")))
        return {};
    const QStringList words = line.mid(2).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return {};
    if (QFileInfo(words.first()).fileName() == QLatin1String("env") && words.size() > 1)
        return findOnPath(words.at(1), env);
    return words.first();
}

QString lastLines(const QByteArray &text, int count)
{
    QStringList lines = QString::fromUtf8(text).trimmed().split(QLatin1Char('\n'));
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

QStringList AlembicExporter::candidateInterpreters(const QString &explicitPython, const QProcessEnvironment &env)
{
    if (!explicitPython.isEmpty())
        return {explicitPython};
    QStringList out;
    const QString alembic = findOnPath(u"alembic"_s, env);
    if (!alembic.isEmpty()) {
        const QString fromShebang = shebangInterpreter(alembic, env);
        if (!fromShebang.isEmpty())
            out << fromShebang;
    }
    const QString python3 = findOnPath(u"python3"_s, env);
    out << (python3.isEmpty() ? u"python3"_s : python3);
    out.removeDuplicates();
    return out;
}

QByteArray AlembicExporter::helperSource()
{
    QFile f(u":/alembic/alembicexport.py"_s);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

AlembicExporter::Result AlembicExporter::run(const QString &path, const QString &explicitPython,
                                             const QProcessEnvironment &env, int timeoutMs,
                                             const std::atomic_bool *cancel)
{
    Result result;
    const QByteArray helper = helperSource();
    if (helper.isEmpty()) {
        result.error = Text::tr("the Alembic export helper is missing from this build");
        return result;
    }
    QProcessEnvironment childEnv = env;
    // Loading the team's revision modules must leave their folders as they were: no __pycache__.
    childEnv.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
    childEnv.insert(u"PYTHONIOENCODING"_s, u"utf-8"_s);
    const QString absolute = QFileInfo(path).absoluteFilePath();

    QStringList unusable; // "interpreter: why"
    for (const QString &python : candidateInterpreters(explicitPython, env)) {
        result.triedInterpreters << python;
        QProcess process;
        process.setProcessEnvironment(childEnv);
        process.start(python, {u"-c"_s, QString::fromUtf8(helper), absolute});
        if (!process.waitForStarted()) {
            unusable << Text::tr("%1: cannot be started (%2)").arg(python, process.errorString());
            continue;
        }
        process.closeWriteChannel();
        // Short waits, so a cancel from the GUI is seen while Python works.
        QDeadlineTimer deadline(timeoutMs);
        while (process.state() != QProcess::NotRunning && !deadline.hasExpired() && !(cancel && cancel->load()))
            process.waitForFinished(int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
            if (cancel && cancel->load()) {
                result.cancelled = true;
                result.error = Text::tr("The import was cancelled.");
                return result;
            }
            result.error = Text::tr("%1 did not finish reading the Alembic project within %2 s")
                               .arg(python).arg(timeoutMs / 1000);
            return result;
        }
        const QByteArray out = process.readAllStandardOutput();
        const QByteArray err = process.readAllStandardError();
        const int code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        if (code == helperNoAlembic) {
            unusable << Text::tr("%1: cannot import alembic").arg(python);
            continue;
        }
        if (code == helperBadProject) {
            // the helper prints {"error": "..."}
            const QString message = QJsonDocument::fromJson(out).object().value(u"error"_s).toString();
            result.error = message.isEmpty() ? lastLines(err, 15) : message;
            return result;
        }
        if (code != 0) {
            result.error = Text::tr("%1 failed reading the Alembic project (exit code %2):\n%3")
                               .arg(python).arg(code).arg(lastLines(err, 15));
            return result;
        }
        QString parseError;
        result.project = AlembicProject::fromJson(out, &parseError);
        if (!result.project)
            result.error = parseError;
        return result;
    }
    result.error = Text::tr("No Python interpreter that can import alembic was found. Tried:\n  %1\n"
                            "Point at the interpreter of the virtualenv that runs your alembic, for example "
                            "--python /path/to/venv/bin/python, or put that virtualenv's bin folder first on PATH.")
                       .arg(unusable.join(u"\n  "_s));
    return result;
}

} // namespace MigrationDesk
