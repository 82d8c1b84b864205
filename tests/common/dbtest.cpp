#include "dbtest.h"

#include "pgfixture.h"

namespace MigrationDesk::DbTest {

QString freshDb(const QString &name)
{
    QString error;
    if (!PgFixture::shared().createDatabase(name, &error))
        qFatal("createDatabase failed: %s", qPrintable(error));
    return name;
}

QString q(const QString &db, const QString &sql)
{
    bool ok = false;
    QString err;
    const QString out = PgFixture::shared().psql(db, sql, &ok, &err);
    if (!ok)
        qWarning("psql failed: %s: %s", qPrintable(sql), qPrintable(err));
    return out;
}

QString versions(const QString &db)
{
    return q(db, QStringLiteral("SELECT coalesce(string_agg(version_num, ',' ORDER BY version_num), '') FROM alembic_version"));
}

bool relationExists(const QString &db, const QString &name)
{
    return q(db, QStringLiteral("SELECT to_regclass('%1') IS NOT NULL").arg(name)) == QLatin1String("t");
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
