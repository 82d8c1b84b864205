#include "migrations/alembicproject.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("AlembicProject") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(AlembicProject)
};

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out << item.toString();
    return out;
}

} // namespace

std::optional<AlembicProject> AlembicProject::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject() || !doc.object().value(u"revisions"_s).isArray()) {
        if (error)
            *error = Text::tr("the Alembic export helper printed something unexpected: %1")
                         .arg(parseError.error == QJsonParseError::NoError ? Text::tr("no revision list")
                                                                          : parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    AlembicProject p;
    p.alembicVersion = o.value(u"alembic_version"_s).toString();
    p.python = o.value(u"python"_s).toString();
    p.ini = o.value(u"ini"_s).toString();
    p.heads = strings(o.value(u"heads"_s));
    for (const QJsonValue &v : o.value(u"revisions"_s).toArray()) {
        const QJsonObject r = v.toObject();
        ImportedRevision rev;
        rev.revision = r.value(u"revision"_s).toString();
        rev.downRevisions = strings(r.value(u"down_revisions"_s));
        rev.branchLabels = strings(r.value(u"branch_labels"_s));
        rev.dependsOn = strings(r.value(u"depends_on"_s));
        rev.message = r.value(u"message"_s).toString();
        rev.created = r.value(u"created"_s).toString();
        rev.path = r.value(u"path"_s).toString();
        rev.source = r.value(u"source"_s).toString();
        rev.upgrade = strings(r.value(u"upgrade"_s));
        rev.downgrade = strings(r.value(u"downgrade"_s));
        rev.transactional = r.value(u"transactional"_s).toBool(true);
        rev.needsReview = r.value(u"needs_review"_s).toString();
        p.revisions << rev;
    }
    return p;
}

QStringList AlembicProject::branchLabels() const
{
    QStringList out;
    for (const ImportedRevision &r : revisions)
        out += r.branchLabels;
    out.sort();
    return out;
}

int AlembicProject::needsReviewCount() const
{
    int n = 0;
    for (const ImportedRevision &r : revisions)
        if (!r.needsReview.isEmpty())
            ++n;
    return n;
}

} // namespace MigrationDesk
