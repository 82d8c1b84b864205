#include "dbtest.h"

#include "clirunner.h"
#include "pgfixture.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk::DbTest {

QString freshDb(const QString &name)
{
    QString error;
    if (!PgFixture::shared().createDatabase(name, &error))
        qFatal("createDatabase failed: %s", qPrintable(error));
    return name;
}

QString freshDbAtHead(const QString &name)
{
    if (!PgFixture::shared().isRunning() && !PgFixture::shared().start())
        return PgFixture::shared().errorString();
    freshDb(name);
    const CliResult up = runCli({u"--url"_s, PgFixture::shared().url(name), u"upgrade"_s,
                                 u"head"_s},
                                PgFixture::shared().environment(name), 300000);
    return up.exitCode == 0 ? QString() : up.all();
}

QString q(const QString &db, const QString &sql, const char *file, int line)
{
    bool ok = false;
    QString err;
    const QString out = PgFixture::shared().psql(db, sql, &ok, &err);
    if (!ok) {
        QTest::qFail(qPrintable(u"psql failed on %1: %2\n  %3"_s.arg(db, err, sql)), file, line);
        return QString();
    }
    return out;
}

QString qExpectError(const QString &db, const QString &sql, const char *file, int line)
{
    bool ok = false;
    QString err;
    PgFixture::shared().psql(db, sql, &ok, &err);
    if (ok) {
        QTest::qFail(qPrintable(u"psql succeeded on %1 where an error was expected:\n  %2"_s.arg(db, sql)),
                     file, line);
        return QString();
    }
    return err;
}

QString versions(const QString &db, const char *file, int line)
{
    return q(db, u"SELECT coalesce(string_agg(version_num, ',' ORDER BY version_num), '') FROM alembic_version"_s,
             file, line);
}

bool relationExists(const QString &db, const QString &name, const char *file, int line)
{
    return q(db, u"SELECT to_regclass('%1') IS NOT NULL"_s.arg(QString(name).replace(QLatin1Char('\''), u"''"_s)), file, line) == QLatin1String("t");
}

ConnectionSettings settings(const QString &db)
{
    QString error;
    const auto s = ConnectionSettings::fromUrl(PgFixture::shared().url(db), &error);
    if (!s)
        qFatal("bad fixture URL: %s", qPrintable(error));
    return *s;
}

} // namespace MigrationDesk::DbTest
