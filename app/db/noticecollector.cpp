#include "db/noticecollector.h"

#include <QMutexLocker>

#include <libpq-fe.h>

#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

QString field(const PGresult *result, int code)
{
    return QString::fromUtf8(PQresultErrorField(result, code)).trimmed();
}

} // namespace

void NoticeCollector::attach(PGconn *conn)
{
    m_previous = PQsetNoticeReceiver(conn, &NoticeCollector::receive, this);
    m_previousArg = nullptr; // libpq's default receiver ignores its argument
}

void NoticeCollector::detach(PGconn *conn)
{
    PQsetNoticeReceiver(conn, m_previous, m_previousArg);
}

QStringList NoticeCollector::take()
{
    QMutexLocker lock(&m_mutex);
    return std::exchange(m_notices, {});
}

void NoticeCollector::receive(void *arg, const PGresult *result)
{
    auto *collector = static_cast<NoticeCollector *>(arg);
    QString text = field(result, PG_DIAG_SEVERITY) + u": "_s + field(result, PG_DIAG_MESSAGE_PRIMARY);
    const QString detail = field(result, PG_DIAG_MESSAGE_DETAIL);
    const QString hint = field(result, PG_DIAG_MESSAGE_HINT);
    if (!detail.isEmpty())
        text += u"\nDETAIL: "_s + detail;
    if (!hint.isEmpty())
        text += u"\nHINT: "_s + hint;
    QMutexLocker lock(&collector->m_mutex);
    collector->m_notices.append(text);
}

} // namespace MigrationDesk
