#include "cli/datacommands.h"

#include "cli/cliapp.h"
#include "cli/clicontext.h"
#include "db/pgconnection.h"
#include "scheduling/demodata.h"

#include <QElapsedTimer>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

CommandOutput DataCommands::demoData(CliContext &ctx, const CliCommand &c)
{
    if (!c.values.contains(u"--employees"_s) || !c.values.contains(u"--schedules"_s))
        return CommandOutput::usage(tr("demo-data needs --employees N and --schedules M"));
    DemoDataOptions options;
    bool ok = false;
    options.employees = c.value(u"--employees"_s).toLongLong(&ok);
    if (!ok || options.employees < 0 || options.employees > DemoDataOptions::maxEmployees)
        return CommandOutput::usage(tr("--employees needs a whole number from 0 to %1").arg(DemoDataOptions::maxEmployees));
    options.schedules = c.value(u"--schedules"_s).toLongLong(&ok);
    if (!ok || options.schedules < 0 || options.schedules > DemoDataOptions::maxSchedules)
        return CommandOutput::usage(tr("--schedules needs a whole number from 0 to %1").arg(DemoDataOptions::maxSchedules));
    if (c.values.contains(u"--deleted-ratio"_s)) {
        options.deletedRatio = c.value(u"--deleted-ratio"_s).toDouble(&ok);
        if (!ok || !(options.deletedRatio >= 0.0 && options.deletedRatio <= 1.0))
            return CommandOutput::usage(tr("--deleted-ratio needs a number between 0 and 1"));
    }
    if (c.values.contains(u"--seed"_s)) {
        options.seed = c.value(u"--seed"_s).toULongLong(&ok);
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
    out.json[u"ok"_s] = true;
    out.json[u"exit_code"_s] = CliApp::Ok;
    out.json[u"employees_added"_s] = result.employeesAdded;
    out.json[u"schedules_added"_s] = result.schedulesAdded;
    out.json[u"first_employee_id"_s] = result.firstEmployeeId;
    out.json[u"first_schedule_id"_s] = result.firstScheduleId;
    out.json[u"seed"_s] = QString::number(options.seed);
    out.json[u"deleted_ratio"_s] = options.deletedRatio;
    out.json[u"seconds"_s] = result.seconds;
    out.json[u"rows_per_second"_s] = perSecond;
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
