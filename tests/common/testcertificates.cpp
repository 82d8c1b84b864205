#include "testcertificates.h"

#include <QFile>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

bool TestCertificates::openssl(const QStringList &args, QString *error) const
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(u"openssl"_s, args);
    if (p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
        return true;
    *error = u"openssl %1 failed: %2"_s.arg(args.join(u' '), QString::fromLocal8Bit(p.readAll()) + p.errorString());
    return false;
}

bool TestCertificates::create(QString *error)
{
    if (!m_dir.isValid()) {
        *error = u"no temporary directory for the certificates"_s;
        return false;
    }
    // P-256 keys: generated in milliseconds, and every libpq/OpenSSL in Debian 12 accepts them.
    const QStringList key{u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s};
    QFile ext(path(u"server.ext"));
    if (!ext.open(QIODevice::WriteOnly) || ext.write("subjectAltName = DNS:localhost\n") < 0) {
        *error = u"cannot write the certificate extensions"_s;
        return false;
    }
    ext.close();
    return openssl(QStringList{u"req"_s, u"-x509"_s} + key
                       + QStringList{u"-keyout"_s, u"ca.key"_s, u"-out"_s, u"ca.crt"_s, u"-days"_s, u"2"_s,
                                     u"-subj"_s, u"/CN=MigrationDesk test CA"_s},
                   error)
        && openssl(QStringList{u"req"_s, u"-x509"_s} + key
                       + QStringList{u"-keyout"_s, u"other-ca.key"_s, u"-out"_s, u"other-ca.crt"_s, u"-days"_s,
                                     u"2"_s, u"-subj"_s, u"/CN=Some other CA"_s},
                   error)
        && openssl(QStringList{u"req"_s} + key
                       + QStringList{u"-keyout"_s, u"server.key"_s, u"-out"_s, u"server.csr"_s, u"-subj"_s,
                                     u"/CN=localhost"_s},
                   error)
        && openssl({u"x509"_s, u"-req"_s, u"-in"_s, u"server.csr"_s, u"-CA"_s, u"ca.crt"_s, u"-CAkey"_s, u"ca.key"_s,
                    u"-CAcreateserial"_s, u"-out"_s, u"server.crt"_s, u"-days"_s, u"2"_s, u"-extfile"_s,
                    u"server.ext"_s},
                   error);
}

} // namespace MigrationDesk
