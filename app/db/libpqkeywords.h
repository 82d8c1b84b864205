#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// The libpq connection keywords MigrationDesk accepts and the checks on their values, shared by the URL
// parser and the settings. Pure functions over constant tables; any thread.
class LibpqKeywords
{
public:
    // The keywords that may ride along in ConnectionSettings::options, each with its environment
    // variable for child programs ("" where libpq has none). host, port, dbname, user, password,
    // sslmode, sslrootcert and service have fields of their own.
    static const QMap<QString, QString> &optionEnvironment();
    // libpq's sslmode values, weakest first.
    static const QStringList &sslModes();
    // True for the spellings of UTF-8 that client_encoding accepts (utf8, utf-8, unicode; any case).
    static bool isUtf8Name(const QString &encoding);
    // A port written as plain digits, 1 to 65535; nullopt otherwise (a leading '+' too).
    static std::optional<int> parsePort(const QString &text);
};

} // namespace MigrationDesk
