#include "cli/datacommands.h"

#include "cli/cliapp.h"
#include "cli/clicontext.h"
#include "db/pgconnection.h"
#include "scheduling/demodata.h"

#include <QElapsedTimer>

namespace MigrationDesk {

CommandOutput DataCommands::demoData(CliContext &ctx, const CliCommand &c)
{
    if (!c.values.contains(QStringLiteral("--employees")) || !c.values.contains(QStringLiteral("--schedules")))
        return CommandOutput::usage(tr("demo-data needs --employees N and --schedules M"));
    DemoDataOptions options;
    bool ok = false;
    options.employees = c.value(QStringLiteral("--employees")).toLongLong(&ok);
    if (!ok || options.employees < 0)
        return CommandOutput::usage(tr("--employees needs a whole number of 0 or more"));
    options.schedules = c.value(QStringLiteral("--schedules")).toLongLong(&ok);
    if (!ok || options.schedules < 0)
        return CommandOutput::usage(tr("--schedules needs a whole number of 0 or more"));
    if (c.values.contains(QStringLiteral("--deleted-ratio"))) {
        options.deletedRatio = c.value(QStringLiteral("--deleted-ratio")).toDouble(&ok);
        if (!ok || !(options.deletedRatio >= 0.0 && options.deletedRatio <= 1.0))
            return CommandOutput::usage(tr("--deleted-ratio needs a number between 0 and 1"));
    }
    if (c.values.contains(QStringLiteral("--seed"))) {
        options.seed = c.value(QStringLiteral("--seed")).toULongLong(&ok);
        if (!ok)
            return CommandOutput::usage(tr("--seed needs a whole number of 0 or more"));
    }
    options.versionTable = ctx.globals().versionTable;

    CommandOutput out;
    PgConnection conn;
    const auto settings = ctx.openDatabase(conn, &out);
    if (!settings)
        return out;

    QElapsedTimer sinceReport;
    sinceReport.start();
    auto progress = [&ctx, &sinceReport](qint64 done, qint64 total) {
        if (ctx.globals().quiet || (done < total && sinceReport.elapsed() < 1000))
            return;
        sinceReport.restart();
        ctx.info(tr("Added %1 of %2 rows (%3%)").arg(done).arg(total).arg(total > 0 ? done * 100 / total : 100));
    };
    QString error;
    DemoDataResult result;
    if (!DemoDataGenerator::generate(conn, options, progress, ctx.cancelFlag(), &error, &result))
        return CommandOutput::failure(CliApp::MigrationFailed, error);

    const qint64 rows = result.employeesAdded + result.schedulesAdded;
    const double perSecond = result.seconds > 0 ? double(rows) / result.seconds : 0.0;
    out.json[QStringLiteral("ok")] = true;
    out.json[QStringLiteral("exit_code")] = CliApp::Ok;
    out.json[QStringLiteral("employees_added")] = result.employeesAdded;
    out.json[QStringLiteral("schedules_added")] = result.schedulesAdded;
    out.json[QStringLiteral("first_employee_id")] = result.firstEmployeeId;
    out.json[QStringLiteral("first_schedule_id")] = result.firstScheduleId;
    out.json[QStringLiteral("seed")] = QString::number(options.seed);
    out.json[QStringLiteral("deleted_ratio")] = options.deletedRatio;
    out.json[QStringLiteral("seconds")] = result.seconds;
    out.json[QStringLiteral("rows_per_second")] = perSecond;
    out.text = tr("Added %1 employees and %2 schedules to %3 in %4 s (%5 rows/s).")
                   .arg(result.employeesAdded)
                   .arg(result.schedulesAdded)
                   .arg(settings->displayName())
                   .arg(result.seconds, 0, 'f', 1)
                   .arg(qint64(perSecond))
        + QLatin1Char('\n');
    return out;
}

} // namespace MigrationDesk
