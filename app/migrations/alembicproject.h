#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// One Alembic revision as the export helper rendered it: its graph data, and each direction's
// offline statements (each ending in ';'), or why it needs a person's review. Value type; any thread.
struct ImportedRevision
{
    QString revision;
    QStringList downRevisions;
    QStringList branchLabels;
    QStringList dependsOn;
    QString message;
    QString created;
    QString path;   // the revision's .py file
    QString source; // its Python source, for the needs-review comments
    QStringList upgrade;
    QStringList downgrade;
    bool transactional = true;
    QString needsReview; // empty when rendered faithfully
};

// An Alembic project read by the export helper (app/migrations/alembic/alembicexport.py): its
// revisions in Alembic's load order and its heads. Parsed from the helper's JSON. Value type; any thread.
struct AlembicProject
{
    QString alembicVersion;
    QString python; // the interpreter that ran the helper
    QString ini;
    QStringList heads;
    QList<ImportedRevision> revisions;

    // nullopt with *error for a document that is not the helper's.
    static std::optional<AlembicProject> fromJson(const QByteArray &json, QString *error);
    QStringList branchLabels() const; // every declared label, sorted
    int needsReviewCount() const;
};

} // namespace MigrationDesk
