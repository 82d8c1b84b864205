#include "migrations/sqltokenizer.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}

} // namespace

// Comments are skipped; a string or dollar-quoted body becomes one String token holding its value.
QList<SqlToken> tokenizeSql(const QString &s)
{
    QList<SqlToken> out;
    const qsizetype n = s.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = s.at(i);
        if (c.isSpace()) {
            ++i;
        } else if (c == u'-' && i + 1 < n && s.at(i + 1) == u'-') {
            while (i < n && s.at(i) != u'\n')
                ++i;
        } else if (c == u'/' && i + 1 < n && s.at(i + 1) == u'*') {
            int depth = 0;
            while (i < n) {
                if (s.at(i) == u'/' && i + 1 < n && s.at(i + 1) == u'*') {
                    ++depth;
                    i += 2;
                } else if (s.at(i) == u'*' && i + 1 < n && s.at(i + 1) == u'/') {
                    i += 2;
                    if (--depth == 0)
                        break;
                } else {
                    ++i;
                }
            }
        } else if (c == u'\'' || ((c == u'E' || c == u'e') && i + 1 < n && s.at(i + 1) == u'\'')) {
            const bool escapes = c != u'\'';
            i += escapes ? 2 : 1;
            QString value;
            while (i < n) {
                const QChar d = s.at(i);
                if (escapes && d == u'\\' && i + 1 < n) {
                    value += s.at(i + 1);
                    i += 2;
                } else if (d == u'\'') {
                    if (i + 1 < n && s.at(i + 1) == u'\'') {
                        value += d;
                        i += 2;
                    } else {
                        ++i;
                        break;
                    }
                } else {
                    value += d;
                    ++i;
                }
            }
            out << SqlToken{SqlToken::Type::String, value};
        } else if (c == u'"') {
            const qsizetype start = i++;
            while (i < n) {
                if (s.at(i) == u'"') {
                    if (i + 1 < n && s.at(i + 1) == u'"') {
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                ++i;
            }
            out << SqlToken{SqlToken::Type::Quoted, s.mid(start, i - start)};
        } else if (c == u'$' && i + 1 < n && (s.at(i + 1) == u'$' || s.at(i + 1).isLetter() || s.at(i + 1) == u'_')) {
            qsizetype j = i + 1;
            while (j < n && s.at(j) != u'$' && isWordChar(s.at(j)))
                ++j;
            if (j < n && s.at(j) == u'$') {
                const QString tag = s.mid(i, j - i + 1);
                const qsizetype end = s.indexOf(tag, j + 1);
                const qsizetype bodyEnd = end < 0 ? n : end;
                out << SqlToken{SqlToken::Type::String, s.mid(j + 1, bodyEnd - j - 1)};
                i = end < 0 ? n : end + tag.size();
            } else {
                out << SqlToken{SqlToken::Type::Symbol, QString(c)};
                ++i;
            }
        } else if (c.isDigit()) {
            const qsizetype start = i;
            while (i < n && (s.at(i).isDigit() || s.at(i) == u'.'))
                ++i;
            out << SqlToken{SqlToken::Type::Number, s.mid(start, i - start)};
        } else if (isWordChar(c)) {
            const qsizetype start = i;
            while (i < n && isWordChar(s.at(i)))
                ++i;
            out << SqlToken{SqlToken::Type::Word, s.mid(start, i - start)};
        } else if (c == u':' && i + 1 < n && s.at(i + 1) == u':') {
            out << SqlToken{SqlToken::Type::Symbol, u"::"_s};
            i += 2;
        } else {
            out << SqlToken{SqlToken::Type::Symbol, QString(c)};
            ++i;
        }
    }
    return out;
}

} // namespace MigrationDesk
