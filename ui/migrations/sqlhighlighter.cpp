#include "migrations/sqlhighlighter.h"

#include <QColor>
#include <QFont>
#include <QTextBlock>
#include <QTextBlockUserData>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Block states carried from one line to the next: inside a /* */ comment, a '...' string or a
// $tag$ body. Migration scripts put function bodies in dollar quotes, and they span many lines.
enum BlockState { Normal = -1, InComment = 1, InString = 2, InDollar = 3 };

// The opening tag of a dollar-quoted body that continues on the next line.
struct DollarTag : QTextBlockUserData
{
    explicit DollarTag(const QString &t) : tag(t) {}
    QString tag;
};

const char *const kKeywords[] = {
    "ADD", "ALL", "ALTER", "AND", "AS", "ASC", "BEGIN", "BETWEEN", "BIGINT", "BOOLEAN", "BY", "CASCADE", "CASE",
    "CHECK", "COLUMN", "COMMENT", "COMMIT", "CONCURRENTLY", "CONSTRAINT", "CREATE", "DATE", "DEFAULT", "DELETE",
    "DESC", "DISTINCT", "DO", "DROP", "EACH", "ELSE", "END", "EXECUTE", "EXISTS", "EXTENSION", "FALSE", "FOR",
    "FOREIGN", "FROM", "FUNCTION", "GRANT", "IF", "IN", "INDEX", "INSERT", "INTEGER", "INTO", "IS", "JOIN", "KEY",
    "LANGUAGE", "LIKE", "LIMIT", "NEW", "NOT", "NULL", "OLD", "ON", "OR", "ORDER", "PRIMARY", "PROCEDURE",
    "REFERENCES", "RENAME", "REPLACE", "RESTRICT", "RETURN", "RETURNS", "REVOKE", "ROLLBACK", "ROW", "SCHEMA",
    "SELECT", "SEQUENCE", "SERIAL", "SET", "TABLE", "TEXT", "THEN", "TIME", "TIMESTAMP", "TO", "TRIGGER", "TRUE",
    "TYPE", "UNIQUE", "UPDATE", "USING", "VALUES", "VARCHAR", "VIEW", "WHEN", "WHERE", "WITH", "WITHOUT", "ZONE",
};

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    QStringList words;
    for (const char *k : kKeywords)
        words << QLatin1String(k);
    m_keywords = QRegularExpression(u"\\b(?:%1)\\b"_s.arg(words.join(QLatin1Char('|'))),
                                    QRegularExpression::CaseInsensitiveOption);
    m_numbers = QRegularExpression(u"\\b\\d+(?:\\.\\d+)?\\b"_s);

    m_keywordFormat.setForeground(QColor(0x1f, 0x4e, 0xb4));
    m_keywordFormat.setFontWeight(QFont::Bold);
    m_stringFormat.setForeground(QColor(0x0a, 0x7d, 0x2c));
    m_numberFormat.setForeground(QColor(0xa6, 0x4b, 0x00));
    m_commentFormat.setForeground(QColor(0x6a, 0x73, 0x7d));
    m_commentFormat.setFontItalic(true);
    m_identifierFormat.setForeground(QColor(0x80, 0x2d, 0x8f));
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    for (auto it = m_keywords.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        setFormat(int(m.capturedStart()), int(m.capturedLength()), m_keywordFormat);
    }
    for (auto it = m_numbers.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        setFormat(int(m.capturedStart()), int(m.capturedLength()), m_numberFormat);
    }

    // Strings and comments win over keywords, so they are scanned last, left to right, so that a
    // "--" inside a string or a quote inside a comment is not mistaken for the other.
    int state = previousBlockState();
    QString dollarTag;
    if (state == InDollar) {
        const auto *previous = static_cast<const DollarTag *>(currentBlock().previous().userData());
        dollarTag = previous ? previous->tag : u"$$"_s;
    }
    int i = 0;
    const int n = int(text.size());
    auto finish = [&](int start, int end, const QTextCharFormat &format) { setFormat(start, end - start, format); };
    int start = 0;
    while (i < n) {
        if (state == InComment) {
            const int end = int(text.indexOf(QLatin1String("*/"), i));
            if (end < 0) {
                finish(start, n, m_commentFormat);
                i = n;
                break;
            }
            finish(start, end + 2, m_commentFormat);
            i = end + 2;
            state = Normal;
            continue;
        }
        if (state == InString) {
            int j = i;
            bool closed = false;
            while (j < n) {
                if (text.at(j) == QLatin1Char('\'')) {
                    if (j + 1 < n && text.at(j + 1) == QLatin1Char('\'')) {
                        j += 2;
                        continue;
                    }
                    closed = true;
                    break;
                }
                ++j;
            }
            finish(start, closed ? j + 1 : n, m_stringFormat);
            i = closed ? j + 1 : n;
            if (closed)
                state = Normal;
            continue;
        }
        if (state == InDollar) {
            const int end = int(text.indexOf(dollarTag, i));
            if (end < 0) {
                finish(start, n, m_stringFormat);
                i = n;
                break;
            }
            finish(start, end + int(dollarTag.size()), m_stringFormat);
            i = end + int(dollarTag.size());
            state = Normal;
            continue;
        }
        const QChar c = text.at(i);
        if (c == QLatin1Char('-') && i + 1 < n && text.at(i + 1) == QLatin1Char('-')) {
            finish(i, n, m_commentFormat);
            i = n;
            break;
        }
        if (c == QLatin1Char('/') && i + 1 < n && text.at(i + 1) == QLatin1Char('*')) {
            state = InComment;
            start = i;
            i += 2;
            continue;
        }
        if (c == QLatin1Char('\'')) {
            state = InString;
            start = i;
            ++i;
            continue;
        }
        if (c == QLatin1Char('"')) {
            const int end = int(text.indexOf(QLatin1Char('"'), i + 1));
            finish(i, end < 0 ? n : end + 1, m_identifierFormat);
            i = end < 0 ? n : end + 1;
            continue;
        }
        if (c == QLatin1Char('$')) {
            static const QRegularExpression tagRe(u"\\$[A-Za-z_]*\\$"_s);
            const auto m = tagRe.match(text, i, QRegularExpression::NormalMatch,
                                       QRegularExpression::AnchorAtOffsetMatchOption);
            if (m.hasMatch()) {
                dollarTag = m.captured();
                state = InDollar;
                start = i;
                i += int(dollarTag.size());
                continue;
            }
        }
        ++i;
    }
    setCurrentBlockState(state);
    setCurrentBlockUserData(state == InDollar ? new DollarTag(dollarTag) : nullptr);
}

} // namespace MigrationDesk
