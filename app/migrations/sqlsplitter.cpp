#include "migrations/sqlsplitter.h"

#include <QStringView>

#include <algorithm>
#include <iterator>

// The lexical rules below follow psql's scanner (src/fe_utils/psqlscan.l, PostgreSQL 15) so that a
// script is cut exactly where psql would cut it when the same file is run with `psql -f`.

namespace MigrationDesk {

namespace {

// psql's {space}, plus \v which the backend accepts as whitespace since PostgreSQL 16.
bool isSqlSpace(QChar c)
{
    const char16_t u = c.unicode();
    return u == u' ' || u == u'\t' || u == u'\n' || u == u'\r' || u == u'\f' || u == u'\v';
}

char16_t asciiLower(QChar c)
{
    const char16_t u = c.unicode();
    return u >= u'A' && u <= u'Z' ? char16_t(u - u'A' + u'a') : u;
}

bool isDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

// psql's {ident_start}: every non-ASCII character counts, as any byte >= 0x80 does in psql.
bool isIdentStart(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || u == u'_' || u >= 0x80;
}

// psql's {ident_cont}: '$' continues an identifier, so foo$$bar never opens a dollar quote.
bool isIdentCont(QChar c)
{
    return isIdentStart(c) || isDigit(c) || c == u'$';
}

// psql's {dolq_cont}: like an identifier but without '$'.
bool isDollarTagCont(QChar c)
{
    return isIdentStart(c) || isDigit(c);
}

// ASCII-only, like pg_strcasecmp; Unicode case folding would make e.g. "CAſE" match "case".
bool isKeyword(QStringView word, QLatin1String keyword)
{
    if (word.size() != keyword.size())
        return false;
    for (qsizetype i = 0; i < word.size(); ++i) {
        if (asciiLower(word.at(i)) != char16_t(keyword.at(i).unicode()))
            return false;
    }
    return true;
}

// Cuts one script into statements in one left-to-right pass; a splitSql local, any thread.
class StatementScanner
{
public:
    explicit StatementScanner(const QString &sql, int firstLine)
        : m_sql(sql), m_len(sql.size()), m_firstLine(firstLine)
    {
    }

    QList<SqlStatement> run();

private:
    qsizetype skipLineComment(qsizetype pos) const;
    qsizetype skipBlockComment(qsizetype pos) const;
    qsizetype skipQuoted(qsizetype pos, QChar quote, bool backslashEscapes) const;
    qsizetype dollarTagEnd(qsizetype pos) const;
    qsizetype skipNumber(qsizetype pos) const;
    qsizetype skipJunk(qsizetype pos) const;
    void noteIdentifier(QStringView word);
    void finishStatement(qsizetype end);
    int lineAt(qsizetype pos);

    const QString &m_sql;
    const qsizetype m_len;
    const int m_firstLine;

    QList<SqlStatement> m_statements;
    qsizetype m_statementStart = -1; // first real character of the statement being collected
    qsizetype m_metaStart = -1;      // first backslash outside literals in that statement

    // psql's heuristic for SQL-standard function bodies: only once the statement has begun with
    // CREATE [OR REPLACE] {FUNCTION|PROCEDURE} do BEGIN/CASE/END change the depth.
    int m_parenDepth = 0;
    int m_beginDepth = 0;
    int m_identifierCount = 0;
    char m_leadingWords[4] = {0, 0, 0, 0};

    // Line numbers are counted lazily; statement starts only ever move forward.
    qsizetype m_lineCountedTo = 0;
    int m_newlinesBefore = 0;
};

qsizetype StatementScanner::skipLineComment(qsizetype pos) const
{
    // psql ends a -- comment at \n or \r, so an old-Mac line ending also ends it.
    while (pos < m_len && m_sql.at(pos) != u'\n' && m_sql.at(pos) != u'\r')
        ++pos;
    return pos;
}

qsizetype StatementScanner::skipBlockComment(qsizetype pos) const
{
    // PostgreSQL block comments nest, unlike C's; an unterminated one runs to the end.
    int depth = 0;
    pos += 2;
    while (pos < m_len) {
        const QChar c = m_sql.at(pos);
        const QChar next = pos + 1 < m_len ? m_sql.at(pos + 1) : QChar();
        if (c == u'/' && next == u'*') {
            ++depth;
            pos += 2;
        } else if (c == u'*' && next == u'/') {
            pos += 2;
            if (depth == 0)
                return pos;
            --depth;
        } else {
            ++pos;
        }
    }
    return m_len;
}

qsizetype StatementScanner::skipQuoted(qsizetype pos, QChar quote, bool backslashEscapes) const
{
    // pos is just past the opening quote. A doubled quote is an escaped one; an unterminated
    // literal swallows the rest of the script, as it does in psql.
    while (pos < m_len) {
        const QChar c = m_sql.at(pos);
        if (backslashEscapes && c == u'\\') {
            pos = qMin(pos + 2, m_len);
        } else if (c == quote) {
            if (pos + 1 < m_len && m_sql.at(pos + 1) == quote)
                pos += 2;
            else
                return pos + 1;
        } else {
            ++pos;
        }
    }
    return m_len;
}

qsizetype StatementScanner::dollarTagEnd(qsizetype pos) const
{
    // Returns the index just past a $tag$ (or $$) delimiter starting at pos, or -1.
    qsizetype i = pos + 1;
    if (i < m_len && m_sql.at(i) == u'$')
        return i + 1;
    if (i >= m_len || !isIdentStart(m_sql.at(i)))
        return -1;
    ++i;
    while (i < m_len && isDollarTagCont(m_sql.at(i)))
        ++i;
    return i < m_len && m_sql.at(i) == u'$' ? i + 1 : -1;
}

qsizetype StatementScanner::skipNumber(qsizetype pos) const
{
    // PostgreSQL 15 lexes "trailing junk" after a number as part of it ({integer}{identifier}),
    // so in 1e5$$;$$ or 1abc$$ the $$ opens no dollar quote, in 1e'x' no E string starts, and
    // in 1begin no BEGIN is seen. An exponent needs no case of its own: 1e5 ends where the junk
    // identifier "e5" ends, and in 1e+5 the '+' stops both.
    while (pos < m_len && isDigit(m_sql.at(pos)))
        ++pos;
    const bool dotDot = pos + 1 < m_len && m_sql.at(pos + 1) == u'.';
    if (pos < m_len && m_sql.at(pos) == u'.' && !dotDot) {
        ++pos;
        while (pos < m_len && isDigit(m_sql.at(pos)))
            ++pos;
    }
    return skipJunk(pos);
}

qsizetype StatementScanner::skipJunk(qsizetype pos) const
{
    if (pos < m_len && isIdentStart(m_sql.at(pos))) {
        ++pos;
        while (pos < m_len && isIdentCont(m_sql.at(pos)))
            ++pos;
    }
    return pos;
}

void StatementScanner::noteIdentifier(QStringView word)
{
    if (m_identifierCount == 0)
        std::fill(std::begin(m_leadingWords), std::end(m_leadingWords), 0);

    if (m_identifierCount < int(sizeof(m_leadingWords))
        && (isKeyword(word, QLatin1String("create")) || isKeyword(word, QLatin1String("function"))
            || isKeyword(word, QLatin1String("procedure")) || isKeyword(word, QLatin1String("or"))
            || isKeyword(word, QLatin1String("replace")))) {
        m_leadingWords[m_identifierCount] = char(asciiLower(word.at(0)));
    }
    ++m_identifierCount;

    const char *w = m_leadingWords;
    const bool routine = w[0] == 'c'
                         && (w[1] == 'f' || w[1] == 'p'
                             || (w[1] == 'o' && w[2] == 'r' && (w[3] == 'f' || w[3] == 'p')));
    if (!routine || m_parenDepth != 0)
        return;

    if (isKeyword(word, QLatin1String("begin"))) {
        ++m_beginDepth;
    } else if (isKeyword(word, QLatin1String("case"))) {
        // CASE also closes with END, but only matters once inside a BEGIN.
        if (m_beginDepth >= 1)
            ++m_beginDepth;
    } else if (isKeyword(word, QLatin1String("end"))) {
        if (m_beginDepth > 0)
            --m_beginDepth;
    }
}

int StatementScanner::lineAt(qsizetype pos)
{
    for (; m_lineCountedTo < pos; ++m_lineCountedTo) {
        const QChar c = m_sql.at(m_lineCountedTo);
        // \r\n is one line break; a lone \r is one too, matching psql's newline set.
        if (c == u'\n'
            || (c == u'\r' && (m_lineCountedTo + 1 >= m_len || m_sql.at(m_lineCountedTo + 1) != u'\n')))
            ++m_newlinesBefore;
    }
    return m_firstLine + m_newlinesBefore;
}

void StatementScanner::finishStatement(qsizetype end)
{
    if (m_statementStart >= 0) {
        while (end > m_statementStart && isSqlSpace(m_sql.at(end - 1)))
            --end;
        SqlStatement statement;
        statement.text = m_sql.mid(m_statementStart, end - m_statementStart);
        statement.line = lineAt(m_statementStart);
        if (m_metaStart >= 0) {
            // psql reads the command name up to the next space.
            qsizetype stop = m_metaStart + 1;
            while (stop < m_len && !isSqlSpace(m_sql.at(stop)) && stop - m_metaStart < 32)
                ++stop;
            statement.metaCommand = m_sql.mid(m_metaStart, stop - m_metaStart);
            statement.metaCommandLine = lineAt(m_metaStart);
        }
        m_statements.append(statement);
    }
    m_statementStart = -1;
    m_metaStart = -1;
    m_parenDepth = 0;
    m_beginDepth = 0;
    m_identifierCount = 0;
}

QList<SqlStatement> StatementScanner::run()
{
    qsizetype pos = 0;
    if (m_len > 0 && m_sql.at(0) == QChar(0xFEFF))
        pos = 1;

    while (pos < m_len) {
        const QChar c = m_sql.at(pos);
        const QChar next = pos + 1 < m_len ? m_sql.at(pos + 1) : QChar();

        if (isSqlSpace(c)) {
            ++pos;
            continue;
        }
        if (c == u'-' && next == u'-') {
            pos = skipLineComment(pos);
            continue;
        }
        if (c == u'/' && next == u'*') {
            pos = skipBlockComment(pos);
            continue;
        }

        if (c == u';') {
            if (m_parenDepth == 0 && m_beginDepth == 0)
                finishStatement(pos);
            ++pos;
            continue;
        }

        if (m_statementStart < 0)
            m_statementStart = pos;

        if (c == u'(') {
            ++m_parenDepth;
            ++pos;
        } else if (c == u')') {
            if (m_parenDepth > 0)
                --m_parenDepth;
            ++pos;
        } else if (c == u'\'') {
            // standard_conforming_strings is on (the default since 9.1): backslash is literal.
            pos = skipQuoted(pos + 1, c, false);
        } else if (c == u'"') {
            pos = skipQuoted(pos + 1, c, false);
        } else if (c == u'$') {
            if (isDigit(next)) {
                // $1 is a parameter, never a dollar quote; like a number it takes trailing junk.
                ++pos;
                while (pos < m_len && isDigit(m_sql.at(pos)))
                    ++pos;
                pos = skipJunk(pos);
            } else if (const qsizetype bodyStart = dollarTagEnd(pos); bodyStart > 0) {
                // A different tag inside the body cannot close it, so the first exact
                // occurrence of the opening tag is the end.
                const QStringView tag = QStringView(m_sql).mid(pos, bodyStart - pos);
                const qsizetype close = QStringView(m_sql).indexOf(tag, bodyStart);
                pos = close < 0 ? m_len : close + tag.size();
            } else {
                ++pos;
            }
        } else if (isDigit(c) || (c == u'.' && isDigit(next))) {
            pos = skipNumber(pos);
        } else if (isIdentStart(c)) {
            const char16_t lower = asciiLower(c);
            const QChar afterAmp = pos + 2 < m_len ? m_sql.at(pos + 2) : QChar();
            if (lower == u'e' && next == u'\'') {
                pos = skipQuoted(pos + 2, next, true);
            } else if ((lower == u'b' || lower == u'x' || lower == u'n') && next == u'\'') {
                pos = skipQuoted(pos + 2, next, false);
            } else if (lower == u'u' && next == u'&' && (afterAmp == u'\'' || afterAmp == u'"')) {
                pos = skipQuoted(pos + 3, afterAmp, false);
            } else {
                const qsizetype start = pos;
                ++pos;
                while (pos < m_len && isIdentCont(m_sql.at(pos)))
                    ++pos;
                noteIdentifier(QStringView(m_sql).mid(start, pos - start));
            }
        } else {
            // Outside a literal a backslash has no meaning to the server: psql takes it as a meta-command.
            if (c == u'\\' && m_metaStart < 0)
                m_metaStart = pos;
            ++pos;
        }
    }

    // A last statement without ';' still counts, even if cut short inside a literal.
    finishStatement(m_len);
    return m_statements;
}

} // namespace

QList<SqlStatement> splitSql(const QString &sql, int firstLine)
{
    return StatementScanner(sql, firstLine).run();
}

} // namespace MigrationDesk
