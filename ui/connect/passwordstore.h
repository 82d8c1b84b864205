#pragma once

#include <QHash>
#include <QObject>
#include <QString>

class QTimer;

namespace QKeychain {
class Job;
}

namespace MigrationDesk {

// Keeps connection passwords in the system keychain (Secret Service on Linux) through QtKeychain:
// every request is asynchronous, answers with a signal carrying its key, and gives up after timeout()
// so a keychain that never answers cannot hang the app. Never stores a password anywhere else.
// Lives on the GUI thread.
class PasswordStore : public QObject
{
    Q_OBJECT

public:
    enum class Status {
        Ok,
        NotFound,    // read: the keychain has no password under that key
        NoKeychain,  // there is no keychain at all (see keychainAvailable())
        TimedOut,    // the keychain did not answer within timeout()
        Failed       // the keychain answered with an error (locked, access denied, ...)
    };
    Q_ENUM(Status)

    explicit PasswordStore(QObject *parent = nullptr);
    ~PasswordStore() override;

    // The service name entries are filed under: "MigrationDesk".
    static QString serviceName();

    // False once a request found no keychain (no Secret Service on D-Bus, no backend). Later requests
    // then fail at once with Status::NoKeychain instead of asking again.
    bool keychainAvailable() const { return m_unavailableMessage.isEmpty(); }
    // Why there is no keychain; empty while keychainAvailable().
    QString unavailableMessage() const { return m_unavailableMessage; }

    // A request is under way (including an availability probe).
    bool isBusy() const { return !m_pending.isEmpty(); }

    // How long one request may take, in milliseconds (default 5000).
    int timeout() const { return m_timeoutMs; }
    void setTimeout(int milliseconds);

    void readPassword(const QString &key);
    void writePassword(const QString &key, const QString &password);
    void deletePassword(const QString &key);
    // Asks the keychain for an entry that never exists, only to learn whether there is a keychain:
    // emits keychainUnavailable() if there is none, and nothing else.
    void checkAvailability();

Q_SIGNALS:
    // `message` is empty for Ok, and otherwise says in plain language what went wrong.
    void readFinished(const QString &key, MigrationDesk::PasswordStore::Status status, const QString &password,
                      const QString &message);
    void writeFinished(const QString &key, MigrationDesk::PasswordStore::Status status, const QString &message);
    void deleteFinished(const QString &key, MigrationDesk::PasswordStore::Status status, const QString &message);
    // Emitted once, the first time a request finds that there is no keychain.
    void keychainUnavailable(const QString &message);

private:
    enum class Operation { Read, Write, Delete, Probe };
    struct Pending
    {
        Operation operation;
        QString key;
        QTimer *timer;
    };

    void start(QKeychain::Job *job, Operation operation, const QString &key);
    void jobFinished(QKeychain::Job *job);
    void jobTimedOut(QKeychain::Job *job);
    void finish(Operation operation, const QString &key, Status status, const QString &password,
                const QString &message);
    void failLater(Operation operation, const QString &key, Status status, const QString &message);

    QHash<QKeychain::Job *, Pending> m_pending;
    QString m_unavailableMessage;
    int m_timeoutMs = 5000;
};

} // namespace MigrationDesk
