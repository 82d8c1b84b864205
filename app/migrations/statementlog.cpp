#include "migrations/statementlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString StatementLog::toJson(const QList<LoggedStatement> &statements)
{
    if (statements.isEmpty())
        return QString();
    QJsonArray array;
    for (const LoggedStatement &s : statements) {
        QJsonObject o{{u"n"_s, s.index}, {u"line"_s, s.line}, {u"ms"_s, double(s.elapsedMs)}};
        o[u"sql"_s] = s.sql.size() > maxSqlLength() ? s.sql.left(maxSqlLength()) + u"…"_s : s.sql;
        if (!s.error.isEmpty())
            o[u"error"_s] = s.error;
        array.append(o);
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<LoggedStatement> StatementLog::fromJson(const QString &json)
{
    QList<LoggedStatement> out;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        LoggedStatement s;
        s.index = o.value(u"n"_s).toInt();
        s.line = o.value(u"line"_s).toInt();
        s.sql = o.value(u"sql"_s).toString();
        s.elapsedMs = qint64(o.value(u"ms"_s).toDouble(-1));
        s.error = o.value(u"error"_s).toString();
        out << s;
    }
    return out;
}

} // namespace MigrationDesk
