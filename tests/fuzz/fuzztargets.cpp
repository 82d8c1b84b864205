#include "fuzztargets.h"

#include "browse/csvformat.h"
#include "db/connectionsettings.h"
#include "migrations/migrationscript.h"
#include "migrations/revisiongraph.h"
#include "migrations/sqlsplitter.h"

#include <QStringList>

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk::Fuzz {

namespace {

int lineCount(const QString &text)
{
    // \n, \r\n and \r each end a line, as the splitter counts them.
    int lines = 1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == u'\n' || (text.at(i) == u'\r' && (i + 1 >= text.size() || text.at(i + 1) != u'\n')))
            ++lines;
    }
    return lines;
}

// What the splitter trims: psql's {space} and \v. Other Unicode spaces, such as U+00A0, are identifier
// characters to PostgreSQL (any byte >= 0x80 is), so a statement may end in one.
bool isSqlSpace(QChar c)
{
    const char16_t u = c.unicode();
    return u == u' ' || u == u'\t' || u == u'\n' || u == u'\r' || u == u'\f' || u == u'\v';
}

QString checkStatements(const QString &sql, int firstLine)
{
    const QList<SqlStatement> statements = splitSql(sql, firstLine);
    const int lastLine = firstLine + lineCount(sql) - 1;
    int previous = firstLine;
    for (const SqlStatement &s : statements) {
        if (s.text.isEmpty())
            return u"empty statement"_s;
        if (isSqlSpace(s.text.front()) || isSqlSpace(s.text.back()))
            return u"statement not trimmed: "_s + s.text.left(80);
        if (s.line < previous || s.line > lastLine)
            return u"statement line %1 outside %2..%3"_s.arg(s.line).arg(previous).arg(lastLine);
        previous = s.line;
    }
    return {};
}

// What masked values are written as (LazyTableModel::maskText(); the model is not linked into the fuzzers).
const QString maskText = u"\u2022\u2022\u2022\u2022"_s;

// The fuzz input's spelling of NULL: a field that is exactly this character.
const QString nullMark = u"\x1e"_s;

// RFC 4180 read-back of one line that CsvExporter::row wrote; an unquoted empty field (NULL) is read
// as nullMark, a quoted empty one as the empty string.
std::optional<QStringList> readCsvLine(const QString &line)
{
    if (!line.endsWith(u"\r\n"_s))
        return std::nullopt;
    const QString body = line.chopped(2);
    QStringList values;
    qsizetype i = 0;
    for (;;) {
        QString value;
        if (i < body.size() && body.at(i) == u'"') {
            for (++i;; ++i) {
                if (i >= body.size())
                    return std::nullopt;
                if (body.at(i) == u'"') {
                    if (i + 1 < body.size() && body.at(i + 1) == u'"') {
                        value += u'"';
                        ++i;
                        continue;
                    }
                    ++i;
                    break;
                }
                value += body.at(i);
            }
        } else {
            const qsizetype end = body.indexOf(u',', i);
            const QString raw = body.mid(i, end < 0 ? -1 : end - i);
            if (raw.contains(u'"') || raw.contains(u'\r') || raw.contains(u'\n'))
                return std::nullopt;
            value = raw.isEmpty() ? nullMark : raw;
            i += raw.size();
        }
        values.append(value);
        if (i >= body.size())
            return values;
        if (body.at(i) != u',')
            return std::nullopt;
        ++i;
    }
}

// A graph with two roots, a branch point, a merge point and ids that share prefixes.
const RevisionGraph &fuzzGraph()
{
    static const RevisionGraph graph = [] {
        RevisionGraph g;
        g.addRevision(u"aaa1"_s, {});
        g.addRevision(u"bbb2"_s, {u"aaa1"_s});
        g.addRevision(u"ccc3"_s, {u"bbb2"_s});
        g.addRevision(u"ddd4"_s, {u"ccc3"_s});
        g.addRevision(u"dde5"_s, {u"ccc3"_s});
        g.addRevision(u"fff6"_s, {u"ddd4"_s, u"dde5"_s});
        g.addRevision(u"ggg7"_s, {u"fff6"_s});
        g.addRevision(u"xxx1"_s, {});
        g.addRevision(u"yyy2"_s, {u"xxx1"_s});
        return g;
    }();
    return graph;
}

} // namespace

QString scriptParser(const QByteArray &input)
{
    ScriptError error;
    const auto script = MigrationScript::parse(input, u"fuzz.sql"_s, &error);
    if (!script) {
        if (error.message.isEmpty())
            return u"refused without a message"_s;
        return {};
    }
    if (!MigrationScript::isValidRevisionId(script->revision))
        return u"accepted an invalid revision id: "_s + script->revision.left(80);
    for (const QString &parent : script->downRevisions) {
        if (!MigrationScript::isValidRevisionId(parent))
            return u"accepted an invalid down_revision: "_s + parent.left(80);
    }
    if (script->upgradeLine < 1 || script->downgradeLine < 1)
        return u"section line below 1"_s;
    if (script->sha256.size() != 64)
        return u"checksum is not a SHA-256"_s;
    for (const bool upgrade : {true, false}) {
        const QString broken = checkStatements(script->sectionSql(upgrade), script->sectionLine(upgrade));
        if (!broken.isEmpty())
            return broken;
    }
    return {};
}

QString sqlSplitter(const QByteArray &input)
{
    return checkStatements(QString::fromUtf8(input), 1);
}

QString connectionUrl(const QByteArray &input)
{
    const QString url = QString::fromUtf8(input);
    // Every message goes through the redaction; it must survive anything.
    (void)redactSecrets(url);
    QString error;
    const auto settings = ConnectionSettings::fromUrl(url, &error);
    if (!settings)
        return error.isEmpty() ? u"refused without a message"_s : QString();
    QString validateError;
    if (!settings->validate(&validateError))
        return u"fromUrl accepted what validate() refuses: "_s + validateError;
    (void)settings->displayName();
    (void)settings->applyTo(QProcessEnvironment());
    // toUrl() promises a URL that fromUrl() reads back to the same settings.
    const QString again = settings->toUrl(true);
    const auto reread = ConnectionSettings::fromUrl(again, &error);
    if (!reread)
        return u"toUrl() not readable: "_s + error;
    if (*reread != *settings)
        return u"toUrl() round trip changed the settings: "_s + again.left(200);
    // The conninfo string must parse as libpq reads it, after QPSQL turns ';' into ' '.
    QString conninfo = settings->connectOptions();
    conninfo.replace(u';', u' ');
    char *message = nullptr;
    PQconninfoOption *options = PQconninfoParse(conninfo.toUtf8().constData(), &message);
    const QString parseError = message ? QString::fromUtf8(message) : QString();
    PQfreemem(message);
    if (!options)
        return u"connectOptions() not valid conninfo: "_s + parseError;
    QString mismatch;
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        const QString key = QString::fromUtf8(o->keyword);
        if (settings->options.contains(key) && key != u"connect_timeout"_s && key != u"client_encoding"_s
            && settings->options.value(key) != QString::fromUtf8(o->val))
            mismatch = u"conninfo changed the value of "_s + key;
    }
    PQconninfoFree(options);
    return mismatch;
}

QString revisionTarget(const QByteArray &input)
{
    // Line 1: a target; line 2: a history range; line 3: the version table's rows, comma-separated.
    const QStringList lines = QString::fromUtf8(input).split(u'\n');
    const QString target = lines.value(0);
    const QString range = lines.value(1);
    const QStringList heads = lines.value(2).split(u',', Qt::SkipEmptyParts);
    const RevisionGraph &graph = fuzzGraph();
    QString error;
    if (const auto plan = graph.upgradePlan(heads, target, &error)) {
        for (const MigrationStep &step : *plan) {
            if (!step.isUpgrade() || !graph.contains(step.revision))
                return u"upgrade plan with a bad step: "_s + step.revision;
        }
    }
    if (const auto plan = graph.downgradePlan(heads, target, &error)) {
        for (const MigrationStep &step : *plan) {
            if (step.isUpgrade() || !graph.contains(step.revision))
                return u"downgrade plan with a bad step: "_s + step.revision;
        }
    }
    (void)graph.downgradeWarning(heads, target);
    (void)graph.resolveTarget(target, heads, &error);
    QStringList after;
    (void)graph.stampOps(heads, target, &after, &error);
    if (const auto revisions = graph.walk(range.section(u':', 0, 0), range.section(u':', 1), heads, &error)) {
        for (const QString &r : *revisions) {
            if (!graph.contains(r))
                return u"history lists an unknown revision: "_s + r;
        }
    }
    return {};
}

QString csvRow(const QByteArray &input)
{
    // Fields separated by 0x1f; a field that is exactly 0x1e is NULL; a leading 0x1d masks the field.
    const QList<QByteArray> parts = input.split('\x1f');
    QStringList values;
    QList<bool> masked;
    for (QByteArray part : parts) {
        const bool hide = part.startsWith('\x1d');
        if (hide)
            part.remove(0, 1);
        masked.append(hide);
        values.append(part == nullMark.toLatin1() ? QString() : QString::fromUtf8(part));
    }
    QStringList expected;
    for (int i = 0; i < values.size(); ++i)
        expected.append(masked.at(i) && !values.at(i).isNull() ? maskText : values.at(i));
    return checkCsvReadBack(CsvFormat::row(values, masked, maskText), expected);
}

QString checkCsvReadBack(const QString &line, const QStringList &expected)
{
    const auto read = readCsvLine(line);
    if (!read)
        return u"not one RFC 4180 line: "_s + line.left(200);
    if (read->size() != expected.size())
        return u"%1 values written, %2 read back"_s.arg(expected.size()).arg(read->size());
    for (int i = 0; i < expected.size(); ++i) {
        const QString want = expected.at(i).isNull() ? nullMark : expected.at(i);
        if (read->at(i) != want)
            return u"value %1 changed: '%2' became '%3'"_s.arg(i).arg(want.left(80), read->at(i).left(80));
    }
    return {};
}

} // namespace MigrationDesk::Fuzz
