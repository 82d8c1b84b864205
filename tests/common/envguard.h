#pragma once

#include <QByteArray>
#include <QMap>
#include <QtGlobal>

#include <optional>

namespace MigrationDesk {

// Sets (or, with a null value, unsets) process environment variables for one scope. Test helper;
// main thread.
class EnvGuard
{
public:
    explicit EnvGuard(const QMap<QByteArray, QByteArray> &values)
    {
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            m_saved.insert(it.key(), qEnvironmentVariableIsSet(it.key().constData())
                                         ? std::optional<QByteArray>(qgetenv(it.key().constData()))
                                         : std::nullopt);
            if (it.value().isNull())
                qunsetenv(it.key().constData());
            else
                qputenv(it.key().constData(), it.value());
        }
    }
    ~EnvGuard()
    {
        for (auto it = m_saved.cbegin(); it != m_saved.cend(); ++it) {
            if (it.value())
                qputenv(it.key().constData(), *it.value());
            else
                qunsetenv(it.key().constData());
        }
    }

private:
    QMap<QByteArray, std::optional<QByteArray>> m_saved;
};

} // namespace MigrationDesk
