#include "migrations/migrationscript.h"

#include "migrations/sectionchecker.h"
#include "migrations/sqlsplitter.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("MigrationScript") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationScript)
};

// Returns the byte offset of the first invalid UTF-8 sequence, or -1. Written out because
// QStringDecoder reports that an error happened but not where, and the user needs the line.
qsizetype firstInvalidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        int len = 0;
        unsigned int cp = 0;
        if (c < 0x80) { ++i; continue; }
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return i;
        if (i + len > n) return i;
        for (int k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and out-of-range code points are not UTF-8 either.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)
            || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return -1;
}

QByteArray normalized(const QByteArray &content)
{
    QByteArray data = content;
    if (data.startsWith("\xEF\xBB\xBF"))
        data.remove(0, 3);
    data.replace("\r\n", "\n");
    return data;
}

const QRegularExpression &headerPattern()
{
    static const QRegularExpression re(u"^--\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*:\\s?(.*)$"_s);
    return re;
}

} // namespace

QString ScriptError::toString() const
{
    if (line > 0)
        return u"%1:%2: %3"_s.arg(file).arg(line).arg(message);
    return u"%1: %2"_s.arg(file, message);
}

bool MigrationScript::isValidRevisionId(const QString &id)
{
    static const QRegularExpression re(u"^[0-9a-z_]{1,32}$"_s);
    return re.match(id).hasMatch();
}

QString MigrationScript::checksum(const QByteArray &content)
{
    return QString::fromLatin1(QCryptographicHash::hash(normalized(content), QCryptographicHash::Sha256).toHex());
}

std::optional<MigrationScript> MigrationScript::parse(const QByteArray &content, const QString &fileName,
                                                      ScriptError *error)
{
    auto fail = [&](int line, const QString &message) -> std::optional<MigrationScript> {
        if (error)
            *error = ScriptError{fileName, line, message};
        return std::nullopt;
    };

    const QByteArray data = normalized(content);
    const qsizetype bad = firstInvalidUtf8(data);
    if (bad >= 0) {
        const int line = int(data.left(bad).count('\n')) + 1;
        return fail(line, Text::tr("the file is not valid UTF-8 (byte offset %1); save it as UTF-8").arg(bad));
    }

    MigrationScript s;
    s.fileName = fileName;
    s.sha256 = checksum(content);
    const QStringList lines = QString::fromUtf8(data).split(QLatin1Char('\n'));

    static const QStringList knownKeys = {u"revision"_s, u"down_revision"_s,
                                          u"message"_s, u"created"_s,
                                          u"transactional"_s, u"branch_labels"_s,
                                          u"depends_on"_s, u"needs_review"_s};
    enum class Part { Header, Upgrade, Downgrade } part = Part::Header;
    QStringList upgrade, downgrade;
    bool sawUpgrade = false, sawDowngrade = false;
    QHash<QString, QString> header;

    for (int i = 0; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        const QString &line = lines.at(i);
        const QString trimmed = line.trimmed();
        const QString marker = trimmed.toLower().remove(QLatin1Char(' '));
        if (marker == QLatin1String("--+upgrade") || marker == QLatin1String("--+downgrade")) {
            const bool isUp = marker == QLatin1String("--+upgrade");
            bool &seen = isUp ? sawUpgrade : sawDowngrade;
            if (seen)
                return fail(lineNo, isUp ? Text::tr("a second '-- +upgrade' section") : Text::tr("a second '-- +downgrade' section"));
            seen = true;
            part = isUp ? Part::Upgrade : Part::Downgrade;
            (isUp ? s.upgradeLine : s.downgradeLine) = lineNo + 1;
            continue;
        }
        if (part == Part::Upgrade) { upgrade << line; continue; }
        if (part == Part::Downgrade) { downgrade << line; continue; }

        // Header: blank lines, plain comments and "-- key: value" lines only.
        if (trimmed.isEmpty())
            continue;
        if (!trimmed.startsWith(QLatin1String("--")))
            return fail(lineNo, Text::tr("SQL before the '-- +upgrade' section; statements belong in a section"));
        const auto m = headerPattern().match(trimmed);
        if (!m.hasMatch())
            continue;
        const QString key = m.captured(1).toLower();
        const QString value = m.captured(2).trimmed();
        if (!knownKeys.contains(key))
            return fail(lineNo, Text::tr("unknown header key '%1' (known keys: %2)").arg(key, knownKeys.join(u", "_s)));
        if (header.contains(key))
            return fail(lineNo, Text::tr("header key '%1' appears twice").arg(key));
        header.insert(key, value);
        s.headerLines.insert(key, lineNo);
    }

    if (!header.contains(u"revision"_s))
        return fail(1, Text::tr("missing required header '-- revision: <id>'"));
    if (!header.contains(u"down_revision"_s))
        return fail(1, Text::tr("missing required header '-- down_revision: <id>|none'"));
    s.revision = header.value(u"revision"_s);
    if (!isValidRevisionId(s.revision))
        return fail(s.headerLines.value(u"revision"_s),
                    Text::tr("revision id '%1' is invalid: use 1 to 32 characters of [0-9a-z_]").arg(s.revision));
    const QString down = header.value(u"down_revision"_s);
    const int downLine = s.headerLines.value(u"down_revision"_s);
    if (down.compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
        const QStringList parts = down.split(QLatin1Char(','));
        for (QString p : parts) {
            p = p.trimmed();
            if (!isValidRevisionId(p))
                return fail(downLine, Text::tr("down_revision '%1' is invalid: use 'none', an id, or a comma-separated list of ids").arg(down));
            if (s.downRevisions.contains(p))
                return fail(downLine, Text::tr("down_revision lists '%1' twice").arg(p));
            if (p == s.revision)
                return fail(downLine, Text::tr("revision '%1' names itself as its parent").arg(p));
            s.downRevisions << p;
        }
    }
    // branch_labels and depends_on: comma lists, as Alembic's tuples
    for (const QString key : {u"branch_labels"_s, u"depends_on"_s}) {
        if (!header.contains(key))
            continue;
        QStringList &into = key == QLatin1String("branch_labels") ? s.branchLabels : s.dependsOn;
        const QString value = header.value(key);
        if (value.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0 || value.isEmpty())
            continue;
        static const QRegularExpression nameRe(u"^[^@,\\s]+$"_s);
        for (QString p : value.split(QLatin1Char(','))) {
            p = p.trimmed();
            if (!nameRe.match(p).hasMatch())
                return fail(s.headerLines.value(key),
                            Text::tr("%1 '%2' is invalid: use a comma-separated list of names without '@' or spaces")
                                .arg(key, value));
            if (into.contains(p))
                return fail(s.headerLines.value(key), Text::tr("%1 lists '%2' twice").arg(key, p));
            into << p;
        }
    }
    if (s.dependsOn.contains(s.revision))
        return fail(s.headerLines.value(u"depends_on"_s),
                    Text::tr("revision '%1' depends on itself").arg(s.revision));
    s.needsReview = header.value(u"needs_review"_s);
    if (header.contains(u"needs_review"_s) && s.needsReview.isEmpty())
        s.needsReview = Text::tr("marked for review");
    s.message = header.value(u"message"_s);
    s.created = header.value(u"created"_s);
    if (header.contains(u"transactional"_s)) {
        const QString t = header.value(u"transactional"_s).toLower();
        if (t == QLatin1String("true") || t == QLatin1String("yes"))
            s.transactional = true;
        else if (t == QLatin1String("false") || t == QLatin1String("no"))
            s.transactional = false;
        else
            return fail(s.headerLines.value(u"transactional"_s),
                        Text::tr("transactional must be 'true' or 'false', not '%1'").arg(t));
    }
    int lastLine = int(lines.size());
    if (lastLine > 1 && lines.last().isEmpty())
        --lastLine; // the empty piece after a final newline is not a line

    if (!sawUpgrade)
        return fail(lastLine, Text::tr("missing section '-- +upgrade'"));
    if (!sawDowngrade)
        return fail(lastLine, Text::tr("missing section '-- +downgrade'"));
    s.upgradeSql = upgrade.join(QLatin1Char('\n'));
    s.downgradeSql = downgrade.join(QLatin1Char('\n'));
    // Refused here, before any database is touched, rather than half-run by the server.
    for (const bool up : {true, false}) {
        if (const auto problem = SectionChecker::check(splitSql(s.sectionSql(up), s.sectionLine(up)), s.transactional))
            return fail(problem->line, problem->message);
    }
    return s;
}

} // namespace MigrationDesk
