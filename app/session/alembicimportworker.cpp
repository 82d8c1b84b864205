#include "session/alembicimportworker.h"

#include "migrations/alembicexporter.h"
#include "migrations/alembicscriptwriter.h"
#include "migrations/scriptset.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

AlembicImportWorker::AlembicImportWorker(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<AlembicImportResult>();
    qRegisterMetaType<AlembicImportWorker::Step>();
}

void AlembicImportWorker::run(const QString &ini, const QString &outDir, const QString &python,
                              const QProcessEnvironment &environment)
{
    AlembicImportResult result;
    result.outDir = QDir::cleanPath(QFileInfo(outDir).absoluteFilePath());
    if (!QFileInfo::exists(ini)) {
        result.error = tr("%1 does not exist; choose an alembic.ini or the folder holding it.").arg(ini);
        Q_EMIT finished(result);
        return;
    }

    Q_EMIT stepStarted(Step::Reading);
    AlembicExporter::Result exported = AlembicExporter::run(ini, python, environment, 600000, &m_cancel);
    if (!exported.project || m_cancel) {
        result.cancelled = exported.cancelled || m_cancel;
        result.error = exported.error.isEmpty() ? tr("The import was cancelled.") : exported.error;
        Q_EMIT finished(result);
        return;
    }
    result.project = std::move(exported.project);

    // The writer checks everything first and writes nothing on a problem (a folder holding scripts).
    Q_EMIT stepStarted(Step::Writing);
    const auto written = AlembicScriptWriter::write(*result.project, result.outDir, &result.error);
    if (!written) {
        Q_EMIT finished(result);
        return;
    }
    result.files = *written;

    // What was written must load as a valid set: the same graph Alembic has.
    Q_EMIT stepStarted(Step::Checking);
    const ScriptSet set = ScriptSet::load(result.outDir);
    if (!set.isValid())
        result.error = tr("The imported scripts do not load:\n%1").arg(set.errorText());
    Q_EMIT finished(result);
}

} // namespace MigrationDesk
