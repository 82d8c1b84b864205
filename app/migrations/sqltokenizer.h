#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace MigrationDesk {

// One token of a SQL statement, for the pre-flight review's statement classifier.
struct SqlToken
{
    enum class Type { Word, Quoted, String, Number, Symbol };
    Type type = Type::Symbol;
    QString text; // Word/Quoted: as written (quotes kept); String: the value; Symbol: one character or "::"
};

// The tokens of one statement: comments are skipped, a string or dollar-quoted body becomes one String
// token holding its value. A lexer, not a parser; any thread.
QList<SqlToken> tokenizeSql(const QString &statement);

// Reads one statement's tokens front to back; every accessor is safe past the end. Any thread.
class SqlTokenReader
{
public:
    explicit SqlTokenReader(QList<SqlToken> tokens)
        : m_tokens(std::move(tokens))
    {
    }

    bool atEnd() const { return m_pos >= m_tokens.size(); }
    qsizetype pos() const { return m_pos; }
    void seek(qsizetype pos) { m_pos = pos; }
    const SqlToken *peek(qsizetype ahead = 0) const
    {
        const qsizetype p = m_pos + ahead;
        return p < m_tokens.size() ? &m_tokens.at(p) : nullptr;
    }
    bool isWord(const char *keyword, qsizetype ahead = 0) const
    {
        const SqlToken *t = peek(ahead);
        return t && t->type == SqlToken::Type::Word && t->text.compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0;
    }
    bool isSymbol(const char *symbol, qsizetype ahead = 0) const
    {
        const SqlToken *t = peek(ahead);
        return t && t->type == SqlToken::Type::Symbol && t->text == QLatin1String(symbol);
    }
    // Consumes the keyword(s) when all of them come next.
    bool accept(std::initializer_list<const char *> words)
    {
        qsizetype k = 0;
        for (const char *w : words) {
            if (!isWord(w, k++))
                return false;
        }
        m_pos += qsizetype(words.size());
        return true;
    }
    bool acceptSymbol(const char *symbol)
    {
        if (!isSymbol(symbol))
            return false;
        ++m_pos;
        return true;
    }
    // A possibly qualified name, as written without blanks; empty (nothing consumed) if none comes next.
    QString name()
    {
        QString out;
        while (const SqlToken *t = peek()) {
            if (t->type != SqlToken::Type::Word && t->type != SqlToken::Type::Quoted)
                break;
            out += t->text;
            ++m_pos;
            if (!isSymbol(".") || !peek(1) || (peek(1)->type != SqlToken::Type::Word && peek(1)->type != SqlToken::Type::Quoted))
                break;
            out += u'.';
            ++m_pos;
        }
        return out;
    }
    // Skips to the end of the current parenthesised group when just past its '('.
    void skipGroup()
    {
        int depth = 1;
        while (!atEnd() && depth > 0) {
            if (isSymbol("("))
                ++depth;
            else if (isSymbol(")"))
                --depth;
            ++m_pos;
        }
    }
    // SqlTokens from here to the next ',' at depth 0 (or the end), consumed with the comma.
    QList<SqlToken> untilComma()
    {
        QList<SqlToken> out;
        int depth = 0;
        while (const SqlToken *t = peek()) {
            if (t->type == SqlToken::Type::Symbol) {
                if (t->text == u'(')
                    ++depth;
                else if (t->text == u')')
                    --depth;
                else if (t->text == u',' && depth == 0) {
                    ++m_pos;
                    break;
                }
            }
            out << *t;
            ++m_pos;
        }
        return out;
    }
    // Whether the keyword occurs at depth 0 from here on (nothing consumed).
    bool hasWordAtTop(const char *keyword) const
    {
        int depth = 0;
        for (qsizetype p = m_pos; p < m_tokens.size(); ++p) {
            const SqlToken &t = m_tokens.at(p);
            if (t.type == SqlToken::Type::Symbol && t.text == u'(')
                ++depth;
            else if (t.type == SqlToken::Type::Symbol && t.text == u')')
                --depth;
            else if (depth == 0 && t.type == SqlToken::Type::Word && t.text.compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    // Whether the keyword occurs anywhere from here on.
    bool hasWord(const char *keyword) const
    {
        for (qsizetype p = m_pos; p < m_tokens.size(); ++p) {
            const SqlToken &t = m_tokens.at(p);
            if (t.type == SqlToken::Type::Word && t.text.compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    // The written text of the tokens from `from` up to the current position, single-spaced.
    QString textFrom(qsizetype from) const
    {
        QStringList parts;
        for (qsizetype p = from; p < m_pos && p < m_tokens.size(); ++p)
            parts << m_tokens.at(p).text;
        return parts.join(u' ').replace(QStringLiteral(" ( "), QStringLiteral("(")).replace(QStringLiteral(" )"), QStringLiteral(")")).replace(QStringLiteral(" , "), QStringLiteral(","));
    }

private:
    QList<SqlToken> m_tokens;
    qsizetype m_pos = 0;
};


} // namespace MigrationDesk
