#pragma once

#include <QString>
#include <QTemporaryDir>

namespace MigrationDesk {

// A throwaway certificate authority, a server certificate it signed for the host name "localhost" only,
// and a second, unrelated CA, made with the openssl command-line tool for TLS tests; main thread.
class TestCertificates
{
public:
    // Runs openssl; false with *error (its output) when a step failed.
    bool create(QString *error);

    QString caCert() const { return path(u"ca.crt"); }
    QString otherCaCert() const { return path(u"other-ca.crt"); }
    QString serverCert() const { return path(u"server.crt"); }
    QString serverKey() const { return path(u"server.key"); }

private:
    QString path(QStringView name) const { return m_dir.filePath(name.toString()); }
    bool openssl(const QStringList &args, QString *error) const;

    QTemporaryDir m_dir;
};

} // namespace MigrationDesk
