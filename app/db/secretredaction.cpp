#include "db/secretredaction.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString redactSecrets(const QString &text)
{
    // scheme://user:SECRET@ ; greedy up to the last '@' before a '/' so a raw '@' in a password is covered.
    static const QRegularExpression urlRx(u"([A-Za-z][A-Za-z0-9+.\\-]*://[^\\s:/@]*:)[^\\s/\"<>]*@"_s);
    static const QRegularExpression queryRx(u"([?&][A-Za-z_]*password=)[^&\\s#\"]*"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression keyValueRx(
        u"((?<![?&\\w])\\w*password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|\"(?:[^\"\\\\]|\\\\.)*\"?|\\S+)"_s,
        QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    out.replace(urlRx, u"\\1***@"_s);
    out.replace(queryRx, u"\\1***"_s);
    out.replace(keyValueRx, u"\\1***"_s);
    return out;
}

} // namespace MigrationDesk
