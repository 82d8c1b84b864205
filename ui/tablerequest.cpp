#include "tablerequest.h"

#include "base/workerthreads.h"
#include "browse/schemacatalog.h"
#include "db/pgconnection.h"
#include "db/secretredaction.h"

#include <QCoreApplication>
#include <QPointer>

#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The look-up was part of the main window when its texts were translated; they keep that context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MainWindow)
};

QString tableLabel(const QString &schema, const QString &name)
{
    return schema.isEmpty() ? name : schema + QLatin1Char('.') + name;
}

} // namespace

TableRequest::TableRequest(WorkerThreads &threads, QObject *parent)
    : QObject(parent)
    , m_threads(threads)
{
}

TableRequest::~TableRequest()
{
    // Not waited for: a look-up still connecting answers into a QPointer that is null by then.
    if (m_host)
        m_threads.retire(m_host);
}

void TableRequest::setTable(const QString &schema, const QString &name)
{
    m_schema = schema;
    m_name = name;
}

void TableRequest::lookUp(const ConnectionSettings &settings)
{
    if (m_name.isEmpty())
        return;
    const QString schema = m_schema;
    const QString name = m_name;
    const quint64 lookUp = ++m_lookUp;
    m_answer = nullptr;
    m_lookedUpWith = settings;
    if (!m_host)
        m_host = m_threads.start(new QObject, u"TableLookup"_s);
    QPointer<TableRequest> self(this);
    // The worker's connection is private to it, so the lookup opens a short one of its own; it runs on
    // the worker thread so the GUI thread never waits on the network.
    QMetaObject::invokeMethod(
        m_host,
        [self, settings, schema, name, lookUp] {
            PgConnection connection;
            QString error;
            RelationEntry found;
            if (connection.open(settings, &error)) {
                if (const auto entry = SchemaCatalog::lookUp(connection, schema, name, &error))
                    found = *entry;
            }
            // Back on the GUI thread, where the QPointer may be read safely.
            QMetaObject::invokeMethod(
                qApp,
                [self, lookUp, request = tableLabel(schema, name), found, error] {
                    if (self)
                        self->showResult(lookUp, request, found, error);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void TableRequest::showResult(quint64 lookUp, const QString &request, const RelationEntry &relation,
                              const QString &error)
{
    // A later --table request, or a later look-up (another connection), makes this answer stale.
    if (lookUp != m_lookUp || request != tableLabel(m_schema, m_name))
        return;
    const QString &foundSchema = relation.schema;
    const QString &foundName = relation.name;
    // Given at once, before the window's own connection is up: the table's grid need not wait for it.
    if (error.isEmpty() && !foundName.isEmpty() && !(m_connected && *m_connected == m_lookedUpWith))
        Q_EMIT foundBeforeConnected(m_lookedUpWith, relation);
    if (!error.isEmpty()) {
        m_answer = [this, message = Text::tr("Could not look up table %1: %2").arg(request, redactSecrets(error))] {
            Q_EMIT failed(message);
        };
    } else {
        // Not found: the Tables view says so, naming the schema it looked in.
        const QString schema = foundName.isEmpty() ? (m_schema.isEmpty() ? u"public"_s : m_schema) : foundSchema;
        m_answer = [this, schema, name = foundName.isEmpty() ? m_name : foundName] { Q_EMIT found(schema, name); };
    }
    answerIfConnected();
}

void TableRequest::setConnection(const std::optional<ConnectionSettings> &connected)
{
    m_connected = connected;
    answerIfConnected();
}

void TableRequest::answerIfConnected()
{
    // An answer for another connection than the window's (a failed attempt while connected) is not given.
    if (m_answer && m_connected && *m_connected == m_lookedUpWith)
        std::exchange(m_answer, nullptr)();
}

} // namespace MigrationDesk
