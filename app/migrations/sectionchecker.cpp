#include "migrations/sectionchecker.h"

#include <QCoreApplication>
#include <QStringView>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Shares the parser's context ("MigrationScript"): these messages are part of loading a script.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationScript)
};

bool isWordStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isWordCont(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}

// Reads a statement (or a PL/pgSQL body) token by token: words (lower-cased, or a "quoted" name with
// its quotes removed), single characters, and nothing for whitespace, comments and literals. A local
// of SectionChecker, any thread.
class Tokens
{
public:
    explicit Tokens(QStringView text) : m_text(text) {}

    // The next word or symbol, empty at the end. *start receives its offset in the text; *literal,
    // when given, receives the body of a skipped string or dollar-quoted literal instead of skipping it.
    QString next(qsizetype *start = nullptr, QStringView *literal = nullptr, qsizetype *literalStart = nullptr)
    {
        const qsizetype n = m_text.size();
        while (m_pos < n) {
            const QChar c = m_text.at(m_pos);
            const QChar d = m_pos + 1 < n ? m_text.at(m_pos + 1) : QChar();
            if (c.isSpace()) {
                ++m_pos;
            } else if (c == u'-' && d == u'-') {
                while (m_pos < n && m_text.at(m_pos) != u'\n')
                    ++m_pos;
            } else if (c == u'/' && d == u'*') {
                int depth = 0;
                m_pos += 2;
                while (m_pos < n) {
                    if (m_text.mid(m_pos).startsWith(u"/*")) {
                        ++depth;
                        m_pos += 2;
                    } else if (m_text.mid(m_pos).startsWith(u"*/")) {
                        m_pos += 2;
                        if (depth-- == 0)
                            break;
                    } else {
                        ++m_pos;
                    }
                }
            } else if (c == u'\'' || ((c == u'e' || c == u'E') && d == u'\'')) {
                const bool escapes = c != u'\'';
                m_pos += escapes ? 2 : 1;
                const qsizetype bodyStart = m_pos;
                while (m_pos < n) {
                    const QChar q = m_text.at(m_pos);
                    if (escapes && q == u'\\') {
                        m_pos += 2;
                    } else if (q == u'\'') {
                        if (m_pos + 1 < n && m_text.at(m_pos + 1) == u'\'') {
                            m_pos += 2;
                        } else {
                            break;
                        }
                    } else {
                        ++m_pos;
                    }
                }
                const qsizetype bodyEnd = qMin(m_pos, n);
                m_pos = qMin(m_pos + 1, n);
                if (literal && literal->isNull()) {
                    *literal = m_text.mid(bodyStart, bodyEnd - bodyStart);
                    *literalStart = bodyStart;
                }
            } else if (c == u'$' && (d == u'$' || isWordStart(d))) {
                qsizetype tagEnd = m_pos + 1;
                while (tagEnd < n && m_text.at(tagEnd) != u'$' && isWordCont(m_text.at(tagEnd)))
                    ++tagEnd;
                if (tagEnd >= n || m_text.at(tagEnd) != u'$') {
                    ++m_pos;
                    return u"$"_s;
                }
                const QStringView tag = m_text.mid(m_pos, tagEnd + 1 - m_pos);
                const qsizetype bodyStart = tagEnd + 1;
                const qsizetype close = m_text.indexOf(tag, bodyStart);
                const qsizetype bodyEnd = close < 0 ? n : close;
                m_pos = close < 0 ? n : close + tag.size();
                if (literal && literal->isNull()) {
                    *literal = m_text.mid(bodyStart, bodyEnd - bodyStart);
                    *literalStart = bodyStart;
                }
            } else if (c == u'"') {
                const qsizetype s = m_pos;
                QString name;
                ++m_pos;
                while (m_pos < n) {
                    if (m_text.at(m_pos) == u'"') {
                        if (m_pos + 1 < n && m_text.at(m_pos + 1) == u'"') {
                            name += u'"';
                            m_pos += 2;
                            continue;
                        }
                        ++m_pos;
                        break;
                    }
                    name += m_text.at(m_pos++);
                }
                if (start)
                    *start = s;
                return u"\""_s + name; // marks a quoted name, which never matches a keyword
            } else if (isWordStart(c)) {
                const qsizetype s = m_pos;
                while (m_pos < n && isWordCont(m_text.at(m_pos)))
                    ++m_pos;
                if (start)
                    *start = s;
                return m_text.mid(s, m_pos - s).toString().toLower();
            } else {
                if (start)
                    *start = m_pos;
                if (c == u'>' && d == u'>') {
                    m_pos += 2;
                    return u">>"_s;
                }
                ++m_pos;
                return QString(c);
            }
        }
        return {};
    }

    // The next word, skipping an optional keyword first (RELEASE [SAVEPOINT] name).
    QString nameAfterOptional(const QString &keyword)
    {
        QString word = next();
        if (word == keyword)
            word = next();
        return word;
    }

private:
    QStringView m_text;
    qsizetype m_pos = 0;
};

QString displayName(const QString &name)
{
    return name.startsWith(u'"') ? name.mid(1) : name;
}

int lineWithin(const SqlStatement &st, qsizetype offset)
{
    return st.line + int(QStringView(st.text).left(offset).count(u'\n'));
}

// The first COMMIT or ROLLBACK that starts a PL/pgSQL statement in a DO block's body; -1 if none.
// Detects the plain forms only: an EXECUTE 'COMMIT' is caught by the runner's transaction check.
qsizetype transactionControlInDo(const SqlStatement &st, QString *word)
{
    Tokens tokens(st.text);
    tokens.next(); // DO
    QStringView body;
    qsizetype bodyStart = -1;
    QString language = u"plpgsql"_s;
    // The body is the first literal; LANGUAGE may come before or after it.
    for (QString t = tokens.next(nullptr, &body, &bodyStart); !t.isEmpty(); t = tokens.next(nullptr, &body, &bodyStart)) {
        if (t == QLatin1String("language"))
            language = displayName(tokens.next(nullptr, &body, &bodyStart)).toLower();
    }
    if (body.isNull() || language != QLatin1String("plpgsql"))
        return -1;
    Tokens inner(body);
    bool statementStart = true;
    qsizetype at = 0;
    for (QString t = inner.next(&at); !t.isEmpty(); t = inner.next(&at)) {
        if (statementStart && (t == QLatin1String("commit") || t == QLatin1String("rollback"))) {
            *word = t.toUpper();
            return bodyStart + at;
        }
        statementStart = t == QLatin1String(";") || t == QLatin1String(">>") || t == QLatin1String("begin")
                         || t == QLatin1String("then") || t == QLatin1String("else") || t == QLatin1String("loop");
    }
    return -1;
}

QString transactionControlText(const QString &what, bool transactional)
{
    return transactional
        ? Text::tr("transaction control (%1) is not allowed in a migration script: the runner runs each revision "
                   "in a transaction of its own and records the revision in that same transaction. Remove the "
                   "statement; to commit part of the work first, put it in a revision of its own.")
              .arg(what)
        : Text::tr("transaction control (%1) is not allowed in a migration script: a non-transactional revision "
                   "runs each statement on its own (autocommit) and records its progress after each one. Remove "
                   "the statement; for work that must be atomic, use a transactional revision.")
              .arg(what);
}

} // namespace

std::optional<SectionProblem> SectionChecker::check(const QList<SqlStatement> &statements, bool transactional)
{
    QStringList savepoints; // set in this section and not yet released, oldest first
    for (const SqlStatement &st : statements) {
        if (!st.metaCommand.isEmpty())
            return SectionProblem{st.metaCommandLine,
                                  Text::tr("psql meta-commands are not supported (%1): the runner sends each "
                                           "statement to the server, which does not understand them. Put the SQL "
                                           "itself into the script.")
                                      .arg(st.metaCommand)};
        Tokens tokens(st.text);
        const QString first = tokens.next();
        QString second = tokens.next();
        // ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name is a savepoint command, not the end of the transaction.
        if (first == QLatin1String("rollback")
            && (second == QLatin1String("work") || second == QLatin1String("transaction"))) {
            const QString third = tokens.next();
            if (third == QLatin1String("to"))
                second = third;
        }
        auto refuse = [&](const QString &what) {
            return SectionProblem{st.line, transactionControlText(what, transactional)};
        };
        if (first == QLatin1String("begin") || first == QLatin1String("end") || first == QLatin1String("abort"))
            return refuse(first.toUpper());
        if (first == QLatin1String("start") && second == QLatin1String("transaction"))
            return refuse(u"START TRANSACTION"_s);
        if (first == QLatin1String("prepare") && second == QLatin1String("transaction"))
            return refuse(u"PREPARE TRANSACTION"_s);
        if ((first == QLatin1String("commit") || first == QLatin1String("rollback")) && second == QLatin1String("prepared"))
            return refuse(first.toUpper() + u" PREPARED"_s);
        if (first == QLatin1String("commit") || (first == QLatin1String("rollback") && second != QLatin1String("to")))
            return refuse(first.toUpper());
        if (first == QLatin1String("do")) {
            QString word;
            const qsizetype at = transactionControlInDo(st, &word);
            if (at >= 0)
                return SectionProblem{lineWithin(st, at), transactionControlText(u"%1 in a DO block"_s.arg(word), transactional)};
            continue;
        }

        const bool release = first == QLatin1String("release");
        const bool rollbackTo = first == QLatin1String("rollback");
        if (first != QLatin1String("savepoint") && !release && !rollbackTo)
            continue;
        if (!transactional)
            return SectionProblem{st.line, Text::tr("savepoints cannot be used in a non-transactional revision: "
                                                    "its statements run outside a transaction block")};
        // SAVEPOINT name; RELEASE [SAVEPOINT] name; ROLLBACK ... TO [SAVEPOINT] name (tokens stand after TO).
        const QString name = first == QLatin1String("savepoint") ? second
            : release ? (second == QLatin1String("savepoint") ? tokens.next() : second)
                      : tokens.nameAfterOptional(u"savepoint"_s);
        if (first == QLatin1String("savepoint")) {
            savepoints.removeAll(name);
            savepoints << name;
            continue;
        }
        const qsizetype index = savepoints.indexOf(name);
        if (name.isEmpty() || index < 0)
            return SectionProblem{st.line, Text::tr("%1 names savepoint '%2', which this section has not set: a "
                                                    "script may only release or roll back to its own savepoints")
                                               .arg(release ? u"RELEASE"_s : u"ROLLBACK TO"_s, displayName(name))};
        // RELEASE also ends the savepoints set after it; ROLLBACK TO keeps the one it names.
        savepoints.erase(savepoints.begin() + index + (release ? 0 : 1), savepoints.end());
    }
    return std::nullopt;
}

} // namespace MigrationDesk
